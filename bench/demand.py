"""Demand recording on and off (issue 23): the nearest lookup served with STATIONS_DEMAND_RECORDING=false and =true,
alternated in one run on the same seeded database, so the ratio is read within one sitting.

`make bench BENCH_MODULE=bench.demand BENCH_ARGS="--rounds 3"`; prints each cell and the on/off ratios, and writes
bench/results/<date>-demand-<n>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from typing import Any

from bench import db, loadgen, servers
from bench.run import RESULTS, code, machine
from stations.hours import SHANGHAI
from stations.nearest.opening import CLOSED, Opening
from stations.nearest.query import Nearby, NearestQuery
from stations.services.coverage.recorder import DemandRecorder

OPEN = Opening(open=True, staffed=True, next_change=None, self_service=False, open_if_ordinary=True)


def note_cost(lookups: int = 100_000) -> float:
    """Microseconds of CPU one `DemandRecorder.note` takes in a tight loop (ten results, the fourth open), over
    points scattered like a city's (about 10,000 cells): what recording adds to a lookup, without the noise."""
    rng = random.Random(1)
    at = dt.datetime(2026, 3, 3, 12, 10, tzinfo=SHANGHAI)
    queries = [NearestQuery(lon=116.4 + rng.gauss(0, 0.1), lat=39.9 + rng.gauss(0, 0.1), at=at)
               for _ in range(lookups)]
    results = [Nearby(row={}, distance_m=100.0 * i, opening=CLOSED if i < 3 else OPEN) for i in range(10)]
    recorder = DemandRecorder(clock=lambda: at, retention_days=91)
    started = time.process_time()
    for query in queries:
        recorder.note(query, results)
    return (time.process_time() - started) / lookups * 1e6


def cell(url: str, dbname: str, recording: bool, args: argparse.Namespace) -> dict[str, Any]:
    """One server with recording on or off: warm-up, then a measured wrk run at `args.clients`."""
    os.environ["STATIONS_DEMAND_RECORDING"] = "true" if recording else "false"
    with servers.ours(url, args.ours_args.split()) as pid:
        base = f"http://127.0.0.1:{servers.OURS_PORT}"
        loadgen.run_wrk(base, servers.OURS_PATH, clients=args.clients, seconds=args.warmup, app_pids={pid},
                        dbname=dbname)
        result = loadgen.run_wrk(base, servers.OURS_PATH, clients=args.clients, seconds=args.seconds,
                                 app_pids={pid}, dbname=dbname)
    summary = result.summary()
    print(f"  recording={'on ' if recording else 'off'} {json.dumps(summary)}", file=sys.stderr, flush=True)
    return summary


def main() -> None:
    """Alternate off/on (then on/off, so neither always runs first) for `--rounds` rounds."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--ours-args", default=" ".join(servers.SERVED))
    args = parser.parse_args()
    note_us = min(note_cost() for _ in range(3))
    print(f"DemandRecorder.note: {note_us:.2f} us of CPU per lookup (best of 3 tight loops)", flush=True)
    url = db.ensure_seeded(args.count)
    dbname = db.bench_dbname(args.count)
    cells: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
    for n in range(args.rounds):
        for recording in ((False, True) if n % 2 == 0 else (True, False)):
            cells["on" if recording else "off"].append(cell(url, dbname, recording, args))
    ratios = {key: round(statistics.median(on[key] / off[key] for on, off in zip(cells["on"], cells["off"],
                                                                               strict=True)), 3)
              for key in ("rps", "p99_ms", "app_cpu_ms_per_req")}
    print(f"on/off medians over {args.rounds} rounds: {json.dumps(ratios)}", flush=True)
    RESULTS.mkdir(exist_ok=True)
    day = dt.date.today().isoformat()
    n = 1 + sum(1 for _ in RESULTS.glob(f"{day}-demand-*.json"))
    out = {"code": code(), "machine": machine(), "count": args.count, "clients": args.clients,
           "seconds": args.seconds, "note_us": round(note_us, 2), "cells": cells, "on_over_off": ratios}
    (RESULTS / f"{day}-demand-{n}.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
