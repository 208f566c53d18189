"""Load generators (pgbench for the floor, wrk for HTTP) and CPU accounting of the app and PostgreSQL."""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench import workload
from stations.db.read_pool import PLANNER_SETTINGS

Matcher = Callable[[psutil.Process], bool]


@dataclass
class Result:
    """One measurement."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    app_cpu_s: float = 0.0
    db_cpu_s: float = 0.0

    @property
    def rps(self) -> float:
        """Requests (or transactions) per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, float]:
        """The numbers the report prints, CPU as milliseconds per request."""
        per = 1000.0 / max(self.requests, 1)
        return {"rps": round(self.rps, 1), "p50_ms": round(self.p50_ms, 2), "p99_ms": round(self.p99_ms, 2),
                "errors": self.errors, "requests": self.requests,
                "app_cpu_ms_per_req": round(self.app_cpu_s * per, 3),
                "db_cpu_ms_per_req": round(self.db_cpu_s * per, 3)}


class CpuMeter:
    """CPU seconds used by a set of processes, sampled often so short-lived database backends are counted.

    Each process is matched once, when its pid first appears; a sample then reads only the matched processes' CPU
    times. (It used to re-read every process's name and command line each sample: 14 ms of CPU every 0.2 s per
    meter, 15.6% of a core for the two meters of an HTTP cell, in bursts that stalled the measured server on
    this 2-core machine and lengthened its p99.) A pid reused by a new process within one measurement would be
    judged by its first process; Linux hands out pids in sequence, so that takes millions of new processes.
    """

    def __init__(self, match: Matcher) -> None:
        self.match, self.since = match, time.time()
        self.seen: dict[int, float] = {}
        self.base: dict[int, float] = {}
        self._matched: dict[int, psutil.Process] = {}
        self._unmatched: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        for pid in psutil.pids():
            proc = self._matched.get(pid) or self._judge(pid)
            if proc is None:
                continue
            try:
                t = proc.cpu_times()
            except psutil.NoSuchProcess:  # ended: its last sample stands
                continue
            total = t.user + t.system
            if pid not in self.base:
                self.base[pid] = total if proc.create_time() < self.since else 0.0
            self.seen[pid] = total

    def _judge(self, pid: int) -> psutil.Process | None:
        """The process if it matches. A match is remembered; a mismatch once the process is a second old (a new
        PostgreSQL backend shows its database in its title only after it has authenticated)."""
        if pid in self._unmatched:
            return None
        try:
            proc = psutil.Process(pid)
            if not self.match(proc):
                if proc.create_time() < time.time() - 1.0:
                    self._unmatched.add(pid)
                return None
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return None
        self._matched[pid] = proc
        return proc

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def __enter__(self) -> CpuMeter:
        self.since = time.time()
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        """CPU seconds used while the meter ran."""
        return sum(self.seen[pid] - self.base[pid] for pid in self.seen)


def backends_of(dbname: str) -> Matcher:
    """PostgreSQL backends serving `dbname` (the cluster is shared: other databases' work is not counted)."""
    def match(proc: psutil.Process) -> bool:
        return proc.name() == "postgres" and f" {dbname} " in " ".join(proc.cmdline())
    return match


def pids_matcher(pids: set[int]) -> Matcher:
    """Match the given processes and their children (uvicorn workers)."""
    def match(proc: psutil.Process) -> bool:
        return proc.pid in pids or proc.ppid() in pids
    return match


def run_pgbench(url: str, *, clients: int, seconds: int, workload_name: str = "centres") -> Result:
    """The floor: the endpoint's nearest SQL through pgbench with prepared statements and per-transaction logs."""
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "nearest.sql")
        script.write_text(workload.pgbench_script(workload_name))
        args = ["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(seconds),
                "-f", str(script), "-l", "--log-prefix", f"{tmp}/log", url]
        with CpuMeter(backends_of(url.rsplit("/", 1)[-1])) as db:
            env = {**os.environ, "PGOPTIONS": " ".join(f"-c {k}={v}" for k, v in PLANNER_SETTINGS.items())}
            out = subprocess.run(args, capture_output=True, text=True, check=True, env=env).stdout
        latencies = sorted(int(line.split()[2]) for f in glob.glob(f"{tmp}/log*")
                           for line in Path(f).read_text().splitlines())
    done = int(re.search(r"actually processed: (\d+)", out).group(1))  # type: ignore[union-attr]
    failed = int(m.group(1)) if (m := re.search(r"failed transactions: (\d+)", out)) else 0
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return Result(requests=done, seconds=done / tps, p50_ms=_pct(latencies, 50) / 1000,
                  p99_ms=_pct(latencies, 99) / 1000, errors=failed, db_cpu_s=db.seconds)


def _pct(values: list[int], pct: float) -> float:
    return float(values[min(len(values) - 1, int(len(values) * pct / 100))]) if values else 0.0


def run_wrk(base: str, template: str, *, clients: int, seconds: int, app_pids: set[int], dbname: str,
            headers: tuple[str, ...] = (), workload_name: str = "centres") -> Result:
    """HTTP load at `clients` connections on `workload_name`'s random points, with extra request `headers`; app and
    database CPU metered."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(workload.wrk_script(template, workload=workload_name))
    try:
        args = ["wrk", "-t", str(min(clients, 2)), "-c", str(clients), "-d", f"{seconds}s", "--timeout", "5s",
                "-s", f.name, *(arg for header in headers for arg in ("-H", header)), base]
        with CpuMeter(pids_matcher(app_pids)) as app, CpuMeter(backends_of(dbname)) as db:
            out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    data = json.loads(out.split("WRKJSON", 1)[1].strip().splitlines()[0])
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(requests=data["requests"], seconds=data["duration_us"] / 1e6, p50_ms=data["p50_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, errors=errors, app_cpu_s=app.seconds, db_cpu_s=db.seconds)
