"""What the benchmarks that run `shoal` processes share: their CPU and memory from /proc, the
events a `shoal watch --json` prints, and stopping them."""

import json
import os
import select
import subprocess

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of process pid so far; 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid, key="VmRSS"):
    """A memory line of /proc/PID/status in MB (VmRSS, or VmHWM for the peak); 0 once gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def stop(process):
    """SIGTERM (a graceful leave), then SIGKILL after 20 s."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class WatchEvents:
    """The JSON events a `shoal watch --json` (started with stdout=PIPE) prints, as they come;
    lines that are not JSON are skipped. `keep`, a binary file, gets the raw output too."""

    def __init__(self, process, keep=None):
        self.process = process
        self.keep = keep
        self.buffer = b""

    def read(self, timeout):
        """The events printed within `timeout` seconds ([] if none); None once the watch closed
        its output or exited."""
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not ready:
            return None if self.process.poll() is not None else []
        chunk = os.read(self.process.stdout.fileno(), 1 << 16)
        if not chunk:
            return None
        if self.keep:
            self.keep.write(chunk)
        *lines, self.buffer = (self.buffer + chunk).split(b"\n")
        events = []
        for line in lines:
            try:
                events.append(json.loads(line))
            except ValueError:
                continue
        return events
