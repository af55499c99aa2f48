#!/usr/bin/env bash
# Installs what Shoal needs on Debian 12 (only the packages that are missing),
# then configures and builds into ./build. Sourced by run.sh and test.sh.
# Environment: SHOAL_BUILD_DIR (default build), SHOAL_CMAKE_ARGS (extra cmake flags).
set -euo pipefail

SHOAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHOAL_BUILD_DIR=${SHOAL_BUILD_DIR:-$SHOAL_ROOT/build}

# cmake/ninja/g++ build; qt6-base-dev brings Core, Network, Gui, Widgets, Test
# and the xcb/offscreen platform plugins; clang-format checks the style.
SHOAL_PACKAGES=(cmake ninja-build g++ qt6-base-dev clang-format ${SHOAL_EXTRA_PACKAGES:-})

shoal_install_packages() {
    local missing=()
    for pkg in "${SHOAL_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "shoal: installing ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

shoal_build() {
    # shellcheck disable=SC2086
    cmake -S "$SHOAL_ROOT" -B "$SHOAL_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${SHOAL_CMAKE_ARGS:-}
    cmake --build "$SHOAL_BUILD_DIR" -j "${SHOAL_JOBS:-2}"
}

shoal_install_packages
shoal_build
