#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole suite.
set -euo pipefail
# The suite's extras: Debian's serf (0.9.4), the real peer of tst_serfinterop;
# prometheus (server and promtool), the real scraper of tst_prometheus; and a real Secret
# Service for tst_keyring: gnome-keyring, libsecret (QtKeychain loads it) and dbus-x11 (a
# session bus for gnome-keyring without pulling in systemd's user session).
"$(dirname "${BASH_SOURCE[0]}")/install-deps.sh" serf prometheus gnome-keyring libsecret-1-0 \
    dbus-x11
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$SHOAL_ROOT/scripts/check-format.sh"
QT_QPA_PLATFORM=offscreen ctest --test-dir "$SHOAL_BUILD_DIR" --output-on-failure -j "${SHOAL_JOBS:-2}"
