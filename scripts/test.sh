#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole suite.
set -euo pipefail
# The suite's extras: Debian's serf (0.9.4), the real peer of tst_serfinterop, and
# prometheus (server and promtool), the real scraper of tst_prometheus.
"$(dirname "${BASH_SOURCE[0]}")/install-deps.sh" serf prometheus
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$SHOAL_ROOT/scripts/check-format.sh"
QT_QPA_PLATFORM=offscreen ctest --test-dir "$SHOAL_BUILD_DIR" --output-on-failure -j "${SHOAL_JOBS:-2}"
