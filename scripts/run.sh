#!/usr/bin/env bash
# README command 1: install what is missing, build, open the window on the
# embedded demo cluster. Extra arguments go to shoal (e.g. `scripts/run.sh --demo 8`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
if [ $# -eq 0 ]; then set -- --demo; fi
exec "$SHOAL_BUILD_DIR/app/shoal" "$@"
