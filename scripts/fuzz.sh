#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz (or $SHOAL_FUZZ_BUILD_DIR)
# and runs fuzz_codec (swim-protocol) for the given seconds (default 60), then
# fuzz_serfcodec (memberlist/Serf) for the second argument (default half the
# first), seeded from tests/data/fuzz-seeds and tests/data/fuzz-seeds-serf.
# Needs clang and libclang-rt-14-dev (Debian 12).
# Fails when a fuzzer finds a crash, a leak or a timeout; the reproducer is
# left in the current directory as crash-*/leak-*/timeout-*.
set -euo pipefail
SECONDS_TO_RUN=${1:-60}
SERF_SECONDS_TO_RUN=${2:-$((SECONDS_TO_RUN / 2))}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SHOAL_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
CORPUS=${SHOAL_FUZZ_CORPUS:-$BUILD/corpus/fuzz_codec}
SERF_CORPUS=${SHOAL_FUZZ_SERF_CORPUS:-$BUILD/corpus/fuzz_serfcodec}
"$ROOT/scripts/install-deps.sh" clang libclang-rt-14-dev
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHOAL_FUZZ=ON \
    -DSHOAL_BENCH=OFF -DSHOAL_WERROR=ON -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$BUILD" --target fuzz_codec fuzz_serfcodec -j "${SHOAL_JOBS:-2}"
mkdir -p "$CORPUS" "$SERF_CORPUS"
# New inputs go to the first directory; the seeds stay untouched.
if [ "$SECONDS_TO_RUN" -gt 0 ]; then
    "$BUILD/tests/fuzz/fuzz_codec" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -dict="$ROOT/tests/fuzz/fuzz_codec.dict" \
        "$CORPUS" "$ROOT/tests/data/fuzz-seeds"
fi
if [ "$SERF_SECONDS_TO_RUN" -gt 0 ]; then
    "$BUILD/tests/fuzz/fuzz_serfcodec" -max_total_time="$SERF_SECONDS_TO_RUN" -max_len=16384 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$ROOT/tests/fuzz/fuzz_serfcodec.dict" "$SERF_CORPUS" "$ROOT/tests/data/fuzz-seeds-serf"
fi
