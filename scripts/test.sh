#!/usr/bin/env bash
# README command 2: install what is missing, build, run the whole suite.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$SHOAL_ROOT/scripts/check-format.sh"
QT_QPA_PLATFORM=offscreen ctest --test-dir "$SHOAL_BUILD_DIR" --output-on-failure -j "${SHOAL_JOBS:-2}"
