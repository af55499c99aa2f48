#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz (or $SHOAL_FUZZ_BUILD_DIR)
# and runs fuzz_codec for the given seconds (default 60), seeded from
# tests/data/fuzz-seeds. Needs clang and libclang-rt-14-dev (Debian 12).
# Fails when the fuzzer finds a crash, a leak or a timeout; the reproducer is
# left in the current directory as crash-*/leak-*/timeout-*.
set -euo pipefail
SECONDS_TO_RUN=${1:-60}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SHOAL_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
CORPUS=${SHOAL_FUZZ_CORPUS:-$BUILD/corpus/fuzz_codec}
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHOAL_FUZZ=ON \
    -DSHOAL_BENCH=OFF -DSHOAL_WERROR=ON -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$BUILD" --target fuzz_codec -j "${SHOAL_JOBS:-2}"
mkdir -p "$CORPUS"
# New inputs go to the first directory; the seeds stay untouched.
"$BUILD/tests/fuzz/fuzz_codec" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -dict="$ROOT/tests/fuzz/fuzz_codec.dict" \
    "$CORPUS" "$ROOT/tests/data/fuzz-seeds"
