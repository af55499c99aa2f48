#!/usr/bin/env bash
# Installs what Shoal needs on Debian 12 (only the packages that are missing),
# then configures and builds into ./build. Sourced by run.sh and test.sh.
# Environment: SHOAL_BUILD_DIR (default build), SHOAL_CMAKE_ARGS (extra cmake flags),
# SHOAL_JOBS (default 2).
set -euo pipefail

SHOAL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHOAL_BUILD_DIR=${SHOAL_BUILD_DIR:-$SHOAL_ROOT/build}

"$SHOAL_ROOT/scripts/install-deps.sh"
# shellcheck disable=SC2086
cmake -S "$SHOAL_ROOT" -B "$SHOAL_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${SHOAL_CMAKE_ARGS:-}
cmake --build "$SHOAL_BUILD_DIR" -j "${SHOAL_JOBS:-2}"
