#!/usr/bin/env python3
"""Headless footprint and start-up of shoal (issue 18), beside Debian's Go `serf agent`.

Prints, for each shoal binary given (measured interleaved, --rounds times each):
  - resident memory of `shoal watch` observing a 3-member cluster after --idle seconds: swim
    (against `shoal serve --nodes 3` of the first binary) and Serf (against three Debian
    `serf agent`s), with the window's libraries it maps (must be none);
  - resident memory of `shoal members --settle 1` while it settles (0.8 s in), its peak and its
    wall time, against the same clusters;
  - start-up: milliseconds from spawning `shoal members` to its first datagram (or TCP connect)
    at a silent peer;
and the anchor: one `serf agent`'s own resident memory, idle in its 3-node cluster.

Usage: tests/bench/footprint.py [--rounds 3] [--idle 5] SHOAL [SHOAL ...], each SHOAL a path to
a shoal binary, or VAR=VALUE@path for that binary with that variable set, e.g.
  tests/bench/footprint.py base/app/shoal build/app/shoal SHOAL_KEEP_STARTUP_PAGES=1@build/app/shoal
"""
import argparse
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import time

WINDOW_ONLY = ("libQt6Gui", "libQt6Widgets", "libQt6XcbQpa", "/platforms/", "libqt6keychain")


def free_port():
    """A port free for both UDP and TCP on 127.0.0.1 (serf binds both)."""
    while True:
        tcp = socket.socket()
        tcp.bind(("127.0.0.1", 0))
        port = tcp.getsockname()[1]
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            udp.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            tcp.close()
            udp.close()


def rollup(pid):
    """(RSS, anonymous, file-backed) in KiB from /proc/PID/smaps_rollup."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            m = re.match(r"(\w+):\s+(\d+) kB", line)
            if m:
                fields[m.group(1)] = int(m.group(2))
    rss = fields.get("Rss", 0)
    anon = fields.get("Anonymous", 0)
    return rss, anon, rss - anon


def window_libraries(pid):
    with open(f"/proc/{pid}/maps") as f:
        maps = f.read()
    return sorted({w for w in WINDOW_ONLY if w in maps})


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SWIM_", "SERF_"))}
    env.update(LANGUAGE="C", XDG_DATA_HOME=tempfile.mkdtemp(prefix="footprint-"),
               SWIM_SECRET=SECRET)
    env.update(extra)
    return env


SECRET = "footprint-s3cret"


def join_args(protocol, peer):
    if protocol == "serf":
        return ["--protocol", "serf", "--peer", peer]
    return ["--peer", peer]  # the secret: SWIM_SECRET


def watch_rss(shoal, protocol, peer, idle, extra_env):
    proc = subprocess.Popen([shoal, "watch", *join_args(protocol, peer), "--duration", "120"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=clean_env(**extra_env))
    try:
        time.sleep(idle)
        if proc.poll() is not None:
            sys.exit(f"footprint: {shoal} watch ({protocol}) exited {proc.returncode}")
        return rollup(proc.pid), window_libraries(proc.pid)
    finally:
        proc.terminate()
        proc.wait()


def members_run(shoal, protocol, peer, extra_env):
    """(RSS KiB during the settle, peak RSS KiB, wall seconds) of members --settle 1."""
    start = time.monotonic()
    proc = subprocess.Popen([shoal, "members", *join_args(protocol, peer), "--settle", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=clean_env(**extra_env))
    settling = peak = 0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
            peak = int(status["VmHWM"].split()[0])
            if time.monotonic() - start < 0.8:
                settling = int(status["VmRSS"].split()[0])
        except (OSError, KeyError, ValueError):
            pass
        time.sleep(0.02)
    return settling, peak, time.monotonic() - start


def first_datagram_ms(shoal, protocol, extra_env):
    """Milliseconds from spawning members to its first packet at a silent peer."""
    port = free_port()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", port))
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", port))
    tcp.listen()
    env = clean_env(**extra_env)
    start = time.monotonic()
    proc = subprocess.Popen([shoal, "members", *join_args(protocol, f"127.0.0.1:{port}"),
                             "--settle", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        ready, _, _ = select.select([udp, tcp], [], [], 10)
        return (time.monotonic() - start) * 1000 if ready else float("nan")
    finally:
        proc.kill()
        proc.wait()
        udp.close()
        tcp.close()


def start_swim_cluster(shoal):
    proc = subprocess.Popen([shoal, "serve", "--nodes", "3", "--duration", "3600"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=clean_env())
    peer = proc.stdout.readline().strip()
    return proc, peer


def start_serf_cluster():
    agents, ports = [], []
    for i in range(3):
        port, rpc = free_port(), free_port()
        args = ["serf", "agent", "-node", f"n{i + 1}", "-bind", f"127.0.0.1:{port}",
                "-rpc-addr", f"127.0.0.1:{rpc}", "-log-level", "warn"]
        if ports:
            args += ["-join", f"127.0.0.1:{ports[0]}"]
        agents.append(subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL))
        ports.append(port)
        time.sleep(0.3)
    return agents, f"127.0.0.1:{ports[0]}"


def load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def mib(kib):
    return f"{kib / 1024:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("shoal", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--idle", type=float, default=5.0)
    args = parser.parse_args()
    # "VAR=VALUE@path": that binary with that variable set (e.g. SHOAL_KEEP_STARTUP_PAGES=1).
    variants = []
    for spec in args.shoal:
        extra, _, path = spec.rpartition("@")
        extra_env = dict([extra.split("=", 1)]) if extra else {}
        variants.append((spec, os.path.abspath(path), extra_env))

    swim_proc, swim_peer = start_swim_cluster(variants[0][1])
    agents, serf_peer = start_serf_cluster()
    results = {spec: {} for spec, _, _ in variants}
    anchor = []
    try:
        time.sleep(2)
        for _ in range(args.rounds):
            for spec, shoal, extra_env in variants:
                r = results[spec]
                for protocol, peer in (("swim", swim_peer), ("serf", serf_peer)):
                    (rss, anon, file), libs = watch_rss(shoal, protocol, peer, args.idle,
                                                        extra_env)
                    r.setdefault(f"watch {protocol} RSS", []).append(rss)
                    r.setdefault(f"watch {protocol} anon", []).append(anon)
                    r.setdefault(f"watch {protocol} file", []).append(file)
                    r[f"watch {protocol} window libs"] = libs
                    settling, peak, wall = members_run(shoal, protocol, peer, extra_env)
                    r.setdefault(f"members {protocol} settling", []).append(settling)
                    r.setdefault(f"members {protocol} peak", []).append(peak)
                    r.setdefault(f"members {protocol} wall", []).append(wall)
                    r.setdefault(f"members {protocol} first", []).append(
                        first_datagram_ms(shoal, protocol, extra_env))
            anchor.append(rollup(agents[0].pid))
    finally:
        swim_proc.terminate()
        for agent in agents:
            agent.terminate()
        for p in [swim_proc, *agents]:
            p.wait()

    print(f"load average at the end: {load()}; rounds: {args.rounds}; medians")
    print(f"anchor: serf agent (Debian, idle in its 3-node cluster) RSS "
          f"{mib(statistics.median(a[0] for a in anchor))} MiB (anonymous "
          f"{mib(statistics.median(a[1] for a in anchor))})")
    for spec, _, _ in variants:
        r = results[spec]
        med = {k: statistics.median(v) for k, v in r.items()
               if isinstance(v, list) and v and not isinstance(v[0], str)}
        print(spec)
        for protocol in ("swim", "serf"):
            print(f"  watch {protocol}: RSS {mib(med[f'watch {protocol} RSS'])} MiB "
                  f"(anonymous {mib(med[f'watch {protocol} anon'])}, file-backed "
                  f"{mib(med[f'watch {protocol} file'])}); window libraries mapped: "
                  f"{', '.join(r[f'watch {protocol} window libs']) or 'none'}")
            print(f"  members {protocol} --settle 1: RSS {mib(med[f'members {protocol} settling'])} MiB "
                  f"settling, peak {mib(med[f'members {protocol} peak'])} MiB; wall "
                  f"{med[f'members {protocol} wall']:.2f} s; first packet after "
                  f"{med[f'members {protocol} first']:.1f} ms")


if __name__ == "__main__":
    main()
