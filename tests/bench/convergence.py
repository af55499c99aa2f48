#!/usr/bin/env python3
"""An observer's convergence on a served cluster (issue 18), as docs/PERFORMANCE.md reports it.

Per run: starts `shoal serve [--protocol serf] --nodes N --json` (ports the OS picks), waits
until it printed its names and --warmup seconds more, starts `shoal watch --json --settle 60
--peer <the first served member>` and reads its events:

- the time from the watch's start until every served member is ONLINE with its `node` key
  (swim metadata, Serf tag), from the events' own timestamps;
- the curve: members ONLINE with their `node` key at fixed times after the start;
- stray verdicts: status events that take a served member away from ONLINE (SUSPECT,
  OFFLINE) over the whole --observe window, and how many are not ONLINE at its end;
- the watch's RSS at the end (beside --nodes 3 it gives the memory per member);
- serve's and the watch's CPU over the window (from /proc/PID/stat), the bytes queued in serve's
  UDP sockets when the watch starts and the datagrams the kernel dropped on them (full buffers),
  from /proc/net/udp.

Several builds can be compared in one sitting, interleaved run by run:
  tests/bench/convergence.py --shoal before=../base/build/app/shoal \
      --shoal after=build/app/shoal --runs 5
Prints one line a run and the medians per build; exits 1 if a run did not converge.
"""

import argparse
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

from benchproc import WatchEvents, cpu_seconds, rss_mb, stop

CURVE = (0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60)


def udp_queues(pid):
    """Bytes waiting in the UDP sockets of process pid, and datagrams the kernel dropped on them
    (buffer full), from /proc/net/udp."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    except OSError:
        return 0, 0
    queued = dropped = 0
    with open("/proc/net/udp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if fields[9] in inodes:
                queued += int(fields[4].split(":")[1], 16)
                dropped += int(fields[12])
    return queued, dropped


def load_average():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def event_time(event, fallback):
    stamp = event.get("time")
    if not stamp:
        return fallback
    try:
        return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return fallback


def one_run(shoal, args, keep):
    protocol = ["--protocol", args.protocol] if args.protocol != "swim" else []
    env = dict(os.environ)
    env.setdefault("SWIM_SECRET", "s3cret")
    serve = subprocess.Popen([shoal, "serve", *protocol, "--nodes", str(args.nodes), "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=env)
    watch = None
    began = time.monotonic()
    try:
        names = json.loads(serve.stdout.readline() or "[]")
        serve_start = (time.monotonic() - began, cpu_seconds(serve.pid))
        if len(names) != args.nodes:
            raise RuntimeError(f"serve printed {len(names)} names")
        time.sleep(args.warmup)
        expected = set(names)
        serve_cpu0 = cpu_seconds(serve.pid)
        queued_at_start, dropped_at_start = udp_queues(serve.pid)
        start = time.time()
        watch = subprocess.Popen(
            [shoal, "watch", *protocol, "--json", "--settle", "60", "--peer", names[0]],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        online, tagged = set(), set()
        converged_at = None
        curve = []  # (seconds after start, members ONLINE with node)
        strays = 0  # served member taken from ONLINE to another status
        strayed = set()
        events = WatchEvents(watch, keep)
        while time.time() - start < args.observe:
            batch = events.read(0.2)
            if batch is None:
                break
            for event in batch:
                name = event.get("name")
                if name not in expected:
                    continue
                at = event_time(event, time.time()) - start
                if event.get("event") == "status":
                    if event.get("status") == "ONLINE":
                        online.add(name)
                    else:
                        if name in online:
                            strays += 1
                            strayed.add(name)
                        online.discard(name)
                elif event.get("event") == "metadata" and event.get("key") == "node":
                    tagged.add(name)
                else:
                    continue
                count = len(online & tagged)
                curve.append((at, count))
                if converged_at is None and count == len(expected):
                    converged_at = at
        elapsed = time.time() - start
        serve_cpu = cpu_seconds(serve.pid) - serve_cpu0
        dropped = udp_queues(serve.pid)[1]
        watch_cpu = cpu_seconds(watch.pid)
        watch_rss = rss_mb(watch.pid)
        not_online = len(expected - online)
    finally:
        stop(watch)
        stop(serve)
    points = []
    for t in CURVE:
        seen = [count for at, count in curve if at <= t]
        points.append(seen[-1] if seen else 0)
    return {
        "converged": converged_at,
        "points": points,
        "strays": strays,
        "strayed": len(strayed),
        "not_online": not_online,
        "serve_cpu": serve_cpu / elapsed * 100,
        "watch_cpu": watch_cpu,
        "load": load_average(),
        "serve_start": serve_start,
        "watch_rss": watch_rss,
        "queued": queued_at_start,
        "dropped": (dropped_at_start, dropped),
    }


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shoal", action="append",
                        help="LABEL=PATH or PATH of a shoal executable (repeat to compare)")
    parser.add_argument("--protocol", choices=("swim", "serf"), default="swim")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=3.0,
                        help="seconds between serve's names and the watch's start")
    parser.add_argument("--observe", type=float, default=60.0,
                        help="seconds the watch runs (stray verdicts are counted over them)")
    parser.add_argument("--keep", metavar="DIR",
                        help="write each run's watch events to DIR/LABEL-RUN.jsonl")
    args = parser.parse_args()
    builds = []
    for spec in args.shoal or ["build/app/shoal"]:
        label, _, path = spec.rpartition("=")
        builds.append((label or path, path))
    print(f"{args.protocol}, {args.nodes} served members, warm-up {args.warmup:g} s, "
          f"observed {args.observe:g} s; curve at {', '.join(f'{t:g}' for t in CURVE)} s")
    results = {label: [] for label, _ in builds}
    failed = False
    for run in range(args.runs):
        for label, path in builds:
            keep = None
            if args.keep:
                os.makedirs(args.keep, exist_ok=True)
                keep = open(os.path.join(args.keep, f"{label}-{run + 1}.jsonl"), "wb")
            try:
                r = one_run(path, args, keep)
            finally:
                if keep:
                    keep.close()
            results[label].append(r)
            converged = f"{r['converged']:.2f} s" if r["converged"] is not None else "NEVER"
            failed |= r["converged"] is None
            print(f"run {run + 1} {label}: all ONLINE+node {converged}; curve "
                  f"{' '.join(str(p) for p in r['points'])}; strays {r['strays']} "
                  f"({r['strayed']} members, {r['not_online']} not ONLINE at the end); "
                  f"serve: names after {r['serve_start'][0]:.1f} s ({r['serve_start'][1]:.1f} CPU-s), "
                  f"{r['queued'] / 1e6:.1f} MB queued in its sockets at the watch's start, "
                  f"{r['dropped'][0]} datagrams dropped by then, {r['dropped'][1]} at the end, "
                  f"then {r['serve_cpu']:.0f} % CPU, watch {r['watch_cpu']:.1f} CPU-s, "
                  f"RSS {r['watch_rss']:.1f} MB at the end; "
                  f"load {r['load']}", flush=True)
    for label, _ in builds:
        rs = results[label]
        conv = median([r["converged"] for r in rs])
        curve = [median([r["points"][i] for r in rs]) for i in range(len(CURVE))]
        never = sum(1 for r in rs if r["converged"] is None)
        print(f"median {label}: all ONLINE+node "
              f"{'NEVER' if conv is None else f'{conv:.2f} s'}"
              f"{f' ({never} of {len(rs)} runs never)' if never else ''}; curve "
              f"{' '.join(f'{c:g}' for c in curve)}; strays "
              f"{median([r['strays'] for r in rs]):g} (runs: "
              f"{', '.join(str(r['strays']) for r in rs)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
