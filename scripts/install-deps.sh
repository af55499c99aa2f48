#!/usr/bin/env bash
# Installs, through apt-get, those of Shoal's Debian 12 packages (plus any given
# as arguments) that are missing; uses sudo when not root. Installs nothing when
# everything is there.
set -euo pipefail
# cmake/ninja/g++ build; qt6-base-dev brings Core, Network, Gui, Widgets, Test
# and the xcb/offscreen platform plugins; clang-format checks the style;
# libssl-dev gives libcrypto's AES-GCM to the Serf codec; qt6-httpserver-dev
# serves --metrics-listen (its CMake package needs qt6-websockets-dev, which
# Debian 12 does not pull in).
packages=(cmake ninja-build g++ qt6-base-dev libssl-dev clang-format qt6-httpserver-dev
    qt6-websockets-dev "$@")
missing=()
for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "shoal: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
