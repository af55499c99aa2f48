#!/usr/bin/env bash
# Installs, through apt-get, those of Shoal's Debian 12 packages (plus any given
# as arguments) that are missing; uses sudo when not root. Installs nothing when
# everything is there.
set -euo pipefail
# One package per line, each with why (branches add lines; merges stay simple).
packages=(
    cmake ninja-build g++ # the build
    qt6-base-dev          # Core, Network, Gui, Widgets, Test, the xcb/offscreen platform plugins
    clang-format          # scripts/check-format.sh
    libssl-dev            # libcrypto: AES-GCM for the Serf codec, SHA-256 for swim's HMAC
    qt6-tools-dev         # CMake's Qt6LinguistTools: the translations
    qt6-l10n-tools        # lrelease, lupdate
    qt6-httpserver-dev    # --metrics-listen
    libqt6sql6-sqlite     # Qt SQL's SQLite driver: the cluster history
    qt6-websockets-dev    # needed by Qt6HttpServer's CMake package; Debian 12 does not pull it in
    qtkeychain-qt6-dev    # QtKeychain: remembered secrets in the desktop keyring (libqt6keychain1)
    "$@"
)
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
