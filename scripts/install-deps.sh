#!/usr/bin/env bash
# Installs, through apt-get, those of Shoal's Debian 12 packages (plus any given
# as arguments) that are missing; uses sudo when not root. Installs nothing when
# everything is there.
set -euo pipefail
# cmake/ninja/g++ build; qt6-base-dev brings Core, Network, Gui, Widgets, Test
# and the xcb/offscreen platform plugins; clang-format checks the style;
# libssl-dev gives libcrypto's AES-GCM to the Serf codec; libqt6sql6-sqlite is Qt SQL's
# SQLite driver, which keeps the cluster history (qt6-base-dev has the Sql headers).
packages=(cmake ninja-build g++ qt6-base-dev libssl-dev libqt6sql6-sqlite clang-format "$@")
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
