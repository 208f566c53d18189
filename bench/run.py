"""`make bench`: floor (pgbench), our endpoint and tipg at 100k and 1M stations, c = 1, 8, 32, in one run; then the
lookup where riders are, away from city centres (`bench.workload`: suburban and rural), floor and ours at c=8."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import db, loadgen, report, servers

RESULTS = Path(__file__).resolve().parent / "results"


def code() -> str:
    """The commit measured, marked when the working tree differs from it (results files name their code)."""
    root = Path(__file__).resolve().parents[1]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root, capture_output=True,
                           text=True)
    if commit.returncode:
        return "unknown (not a git checkout)"
    return commit.stdout.strip() + (" with uncommitted changes" if dirty.stdout.strip() else "")


def machine() -> dict[str, Any]:
    """Where this ran: cores and CPU model."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version()}


def measure(count: int, args: argparse.Namespace) -> dict[str, Any]:
    """All three systems on one database size; at each concurrency the three cells run back to back."""
    url = db.ensure_seeded(count)
    libpq, dbname = db.libpq_url(url), db.bench_dbname(count)
    servers.install_tipg_function(libpq)
    out: dict[str, Any] = {"floor": {}, "ours": {}, "tipg": {}} | ({"ours_gzip": {}} if args.gzip else {})
    with servers.ours(url, args.ours_args) as ours_pid, servers.tipg(libpq, args.tipg_workers) as tipg_pid:
        http: dict[str, tuple[int, str, int, tuple[str, ...]]] = {
            "ours": (servers.OURS_PORT, servers.OURS_PATH, ours_pid, ()),
            "tipg": (servers.TIPG_PORT, servers.TIPG_PATH, tipg_pid, ())}
        if args.gzip:  # the same endpoint asked for gzip, right after the uncompressed cell (issue 25)
            http = {"ours": http["ours"], "ours_gzip": (servers.OURS_PORT, servers.OURS_PATH, ours_pid,
                                                        ("Accept-Encoding: gzip",)), "tipg": http["tipg"]}
        for c in args.concurrency:
            loadgen.run_pgbench(libpq, clients=c, seconds=args.warmup)
            out["floor"][c] = _log("floor", count, c, loadgen.run_pgbench(libpq, clients=c, seconds=args.seconds))
            for name, (port, path, pid, headers) in http.items():
                base = f"http://127.0.0.1:{port}"
                loadgen.run_wrk(base, path, clients=c, seconds=args.warmup, app_pids={pid}, dbname=dbname,
                                headers=headers)
                result = loadgen.run_wrk(base, path, clients=c, seconds=args.seconds, app_pids={pid}, dbname=dbname,
                                         headers=headers)
                out[name][c] = _log(name, count, c, result)
        out["away"] = {w: away(libpq, dbname, ours_pid, count, w, args) for w in args.away}
    return out


def away(libpq: str, dbname: str, ours_pid: int, count: int, name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Floor and ours on the workload `name` (points away from city centres) at each of `--away-concurrency`."""
    out: dict[str, Any] = {"floor": {}, "ours": {}}
    base = f"http://127.0.0.1:{servers.OURS_PORT}"
    for c in args.away_concurrency:
        loadgen.run_pgbench(libpq, clients=c, seconds=args.warmup, workload_name=name)
        out["floor"][c] = _log(f"floor {name}", count, c, loadgen.run_pgbench(
            libpq, clients=c, seconds=args.seconds, workload_name=name))
        cell = {"clients": c, "app_pids": {ours_pid}, "dbname": dbname, "workload_name": name}
        loadgen.run_wrk(base, servers.OURS_PATH, seconds=args.warmup, **cell)
        out["ours"][c] = _log(f"ours {name}", count, c, loadgen.run_wrk(
            base, servers.OURS_PATH, seconds=args.seconds, **cell))
    return out


def _log(name: str, count: int, c: int, result: loadgen.Result) -> dict[str, Any]:
    summary = result.summary()
    print(f"  {count:>9,} c={c:<3} {name:<6} {json.dumps(summary)}", file=sys.stderr, flush=True)
    return summary


def main() -> None:
    """Run everything, print the table, write bench/results/<date>-<n>.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--ours-args", default=" ".join(servers.SERVED))
    parser.add_argument("--tipg-workers", type=int, default=2)
    parser.add_argument("--gzip", action="store_true", help="also measure ours with Accept-Encoding: gzip")
    parser.add_argument("--away", nargs="*", default=["suburban", "rural"], choices=["suburban", "rural"],
                        help="workloads away from city centres, after the three systems")
    parser.add_argument("--away-concurrency", type=int, nargs="+", default=[8])
    args = parser.parse_args()
    args.ours_args = args.ours_args.split()
    started = dt.datetime.now(dt.UTC)
    runs = {count: measure(count, args) for count in args.counts}
    result = {"date": started.date().isoformat(), "started": started.isoformat(timespec="seconds"),
              "code": code(), "machine": machine(), "ours_args": args.ours_args, "tipg_workers": args.tipg_workers,
              "seconds": args.seconds, "runs": runs, "ratios": report.ratios(runs)}
    RESULTS.mkdir(exist_ok=True)
    n = 1 + len(list(RESULTS.glob(f"{result['date']}-*.json")))
    path = RESULTS / f"{result['date']}-{n}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(report.table(result))
    print(f"\nwritten to {path.relative_to(RESULTS.parent.parent)}")


if __name__ == "__main__":
    main()
