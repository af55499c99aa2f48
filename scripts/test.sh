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
# The suite runs with a data folder of its own, which must stay empty: no test may write a
# user's files (the history, above all). The suite once did, after a merge lost a line.
data_home=$(mktemp -d)
trap 'rm -rf "$data_home"' EXIT
QT_QPA_PLATFORM=offscreen XDG_DATA_HOME="$data_home" \
    ctest --test-dir "$SHOAL_BUILD_DIR" --output-on-failure -j "${SHOAL_JOBS:-2}"
if [ -n "$(ls -A "$data_home")" ]; then
    echo "shoal: the tests wrote into the user's data folder (XDG_DATA_HOME):" >&2
    find "$data_home" >&2
    exit 1
fi
