#!/usr/bin/env python3
"""Start to first painted window of `shoal --demo` (issue 18: <= 300 ms).

Launches each shoal binary given --rounds times, interleaved, with SHOAL_STARTUP_TRACE set to the
CLOCK_MONOTONIC nanoseconds of the spawn, so the window's trace lines count from the spawn, the
loading of the libraries included (SHOAL_STARTUP_TRACE=1 counts from main() instead). Runs on
the platform given (default: offscreen; `--platform xcb` under xvfb-run), prints the median ms
of each milestone: application object, window built, demo joined, first paint.

Usage: tests/bench/startup.py [--rounds 9] [--platform offscreen] build/app/shoal [base/app/shoal]
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time


def run(shoal, platform):
    home = tempfile.mkdtemp(prefix="startup-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SWIM_", "SERF_"))}
    env.update(QT_QPA_PLATFORM=platform, LANGUAGE="C", XDG_CONFIG_HOME=home, XDG_DATA_HOME=home,
               XDG_CACHE_HOME=home)
    start = time.monotonic_ns()
    env["SHOAL_STARTUP_TRACE"] = str(start)
    out = subprocess.run([shoal, "--demo", "--screenshot", os.path.join(home, "shot.png"),
                          "--screenshot-delay", "0.5"], env=env, capture_output=True, text=True,
                         timeout=60)
    marks = {}
    for line in out.stderr.splitlines():
        m = re.match(r"shoal: startup: ([\d.]+) ms (.*)", line)
        if m:
            marks[m.group(2)] = float(m.group(1))
    return marks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shoal", nargs="+")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--platform", default="offscreen")
    args = parser.parse_args()
    shoals = [os.path.abspath(s) for s in args.shoal]
    results = {s: {} for s in shoals}
    for _ in range(args.rounds):
        for shoal in shoals:
            for mark, ms in run(shoal, args.platform).items():
                results[shoal].setdefault(mark, []).append(ms)
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"platform {args.platform}; {args.rounds} rounds; load average at the end {load}")
    print("ms from spawn (median, min..max)")
    for shoal in shoals:
        print(shoal)
        for mark, values in results[shoal].items():
            print(f"  {mark:14} {statistics.median(values):7.1f}  "
                  f"({min(values):.1f}..{max(values):.1f})")


if __name__ == "__main__":
    main()
