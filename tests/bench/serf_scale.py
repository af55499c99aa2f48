#!/usr/bin/env python3
"""The 1,000-node Serf observer join (issue 15), as docs/PERFORMANCE.md reports it.

Starts `shoal serve --protocol serf --nodes N`, waits until it printed its
names and for --warmup seconds, then starts `shoal watch --protocol serf
--json --peer <a served member>` and prints:

- the convergence time: from watch's start until every served member is
  ONLINE with its `node` tag (the watch's own events);
- the observer's RSS (max over the run) and its CPU as a share of one core
  over --settled seconds once converged;
- serve's CPU over the same window.

Usage: tests/bench/serf_scale.py [--shoal build/app/shoal] [--nodes 1000]
       [--warmup 10] [--settled 20] [--timeout 60] [--threads T]
Prints one figure a line; exits 1 if the watch did not converge in --timeout.
"""

import argparse
import json
import subprocess
import sys
import time

from benchproc import WatchEvents, cpu_seconds, rss_mb, stop


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shoal", default="build/app/shoal")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--settled", type=float, default=20.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--serve-args", default="", help="extra arguments for serve")
    args = parser.parse_args()

    serve_cmd = [args.shoal, "serve", "--protocol", "serf", "--nodes", str(args.nodes), "--json"]
    serve_cmd += args.serve_args.split()
    t0 = time.monotonic()
    serve = subprocess.Popen(serve_cmd, stdout=subprocess.PIPE, text=True)
    watch = None
    try:
        names_line = serve.stdout.readline()
        try:
            names = json.loads(names_line)
        except ValueError:
            names = [line for line in names_line.split()]
        if isinstance(names, dict):
            names = names.get("names", [])
        names = [n if isinstance(n, str) else n.get("name") for n in names]
        print(f"serve: {len(names)} names after {time.monotonic() - t0:.1f} s")
        time.sleep(args.warmup)
        serve_cpu_warm = cpu_seconds(serve.pid)
        print(f"serve: {serve_cpu_warm:.1f} CPU-s during start and {args.warmup:.0f} s warm-up, "
              f"RSS {rss_mb(serve.pid):.0f} MB")

        peer = names[len(names) // 2]
        watch_cmd = [args.shoal, "watch", "--protocol", "serf", "--json", "--peer", peer,
                     "--settle", "60"]
        start = time.monotonic()
        watch = subprocess.Popen(watch_cmd, stdout=subprocess.PIPE)
        expected = set(names)
        online, tagged = set(), set()
        converged = None
        events = WatchEvents(watch)
        while converged is None and time.monotonic() - start < args.timeout:
            batch = events.read(0.5)
            if batch is None:
                break
            for event in batch:
                name = event.get("name")
                if event.get("event") == "status":
                    (online.add if event.get("status") == "ONLINE" else online.discard)(name)
                elif event.get("event") == "metadata" and event.get("key") == "node":
                    tagged.add(name)
            if expected <= online and expected <= tagged:
                converged = time.monotonic() - start
        seen = len(expected & online & tagged)
        if converged is None:
            print(f"observer: NOT converged: {seen} of {len(expected)} ONLINE with tags after "
                  f"{args.timeout:.0f} s")
            return 1
        print(f"observer: all {len(expected)} ONLINE with their node tag in {converged:.2f} s")
        watch_cpu0, serve_cpu0, t_settle = cpu_seconds(watch.pid), cpu_seconds(serve.pid), \
            time.monotonic()
        peak = 0.0
        while time.monotonic() - t_settle < args.settled:
            events.read(0.5)  # drained, so that the watch never blocks on a full pipe
            peak = max(peak, rss_mb(watch.pid))
        elapsed = time.monotonic() - t_settle
        watch_cpu = (cpu_seconds(watch.pid) - watch_cpu0) / elapsed * 100.0
        serve_cpu = (cpu_seconds(serve.pid) - serve_cpu0) / elapsed * 100.0
        print(f"observer: RSS {rss_mb(watch.pid):.1f} MB (peak sampled {peak:.1f} MB, "
              f"VmHWM {rss_mb(watch.pid, 'VmHWM'):.1f} MB)")
        print(f"observer: CPU {watch_cpu:.1f} % of a core over {elapsed:.0f} s settled")
        print(f"serve: CPU {serve_cpu:.0f} % of a core settled, RSS {rss_mb(serve.pid):.0f} MB")
        return 0
    finally:
        stop(watch)
        stop(serve)


if __name__ == "__main__":
    sys.exit(main())
