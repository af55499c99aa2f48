#!/usr/bin/env bash
# One member (`shoal serve --nodes 1`) on CPU 0 and bench_pingload on CPU 1 (taskset), so the
# wall-clock rate is the member's own; prints the load average, bench_pingload's table and the
# member's user and kernel CPU over the whole run (/proc/PID/stat, clock ticks).
#   tests/bench/pingload-pinned.sh BUILD_DIR PORT [bench_pingload options, default --start 15000]
# BUILD_DIR holds app/shoal (the member); the generator is the bench_pingload beside this
# script's build unless SHOAL_PINGLOAD names another.
set -euo pipefail
build=${1:?BUILD_DIR}
port=${2:?PORT}
shift 2
[ $# -gt 0 ] || set -- --start 15000
generator=${SHOAL_PINGLOAD:-$build/tests/bench/bench_pingload}
taskset -c 0 "$build/app/shoal" serve --nodes 1 --base-port "$port" --secret s3cret >/dev/null 2>&1 &
member=$!
trap 'kill $member 2>/dev/null || true' EXIT
sleep 2
cpu() { awk '{ sub(/.*\) /, ""); print $12, $13 }' "/proc/$member/stat"; }
read -r user0 system0 < <(cpu)
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
taskset -c 1 "$generator" --target "127.0.0.1:$port" --secret s3cret --pid "$member" "$@"
read -r user1 system1 < <(cpu)
user=$((user1 - user0))
system=$((system1 - system0))
echo "member CPU: user $user ticks, kernel $system ticks ($((100 * system / (user + system > 0 ? user + system : 1)))% in the kernel); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
