#!/usr/bin/env bash
# Installs, through apt-get, those of Shoal's Debian 12 packages (plus any given
# as arguments) that are missing; uses sudo when not root. Installs nothing when
# everything is there.
set -euo pipefail
# cmake/ninja/g++ build; qt6-base-dev brings Core, Network, Gui, Widgets, Test
# and the xcb/offscreen platform plugins; clang-format checks the style;
# libssl-dev gives libcrypto's AES-GCM to the Serf codec; qt6-tools-dev (CMake's
# Qt6LinguistTools) and qt6-l10n-tools (lrelease, lupdate) build the translations.
packages=(cmake ninja-build g++ qt6-base-dev libssl-dev clang-format qt6-tools-dev qt6-l10n-tools "$@")
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
