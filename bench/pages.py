"""OGC items pages and station pages, two versions of the code in one run (issue 21).

`python -m bench.pages --before <commit>` serves the package of `<commit>` (`git archive`, as `bench.away` does) and of
the working tree in turn on the bench database, alternating `--rounds` times, and measures in each cell: OGC items
pages of 100 (the first page and pages deep in, sequential on one connection: p50/p99 and the app's CPU a page), then
wrk at c=32 on the nearest lookup, a station by id and `/s/{sign_code}` (req/s, p99, app and database CPU a
request). On a shared machine only ratios within one run compare; CPU per request is the meter that survives noise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import db, loadgen, servers
from bench.away import _archive
from bench.scale import _samples

PAGES = (("OGC first page", False), ("OGC page deep in", True))
WRK = ("nearest (centres)", "station by id", "/s/{sign_code}")


def _pages(pid: int, ids: list[int], *, deep: bool, n: int) -> dict[str, Any]:
    rng = random.Random(11)
    paths = [f"/ogc/collections/stations/items?limit=100{f'&after={rng.choice(ids)}' if deep else ''}"
             for _ in range(n)]
    conn = http.client.HTTPConnection("127.0.0.1", servers.OURS_PORT, timeout=60)
    conn.request("GET", paths[0])
    conn.getresponse().read()
    times, errors = [], 0
    with loadgen.CpuMeter(loadgen.pids_matcher({pid})) as app:
        for path in paths:
            started = time.perf_counter()
            conn.request("GET", path)
            reply = conn.getresponse()
            reply.read()
            times.append((time.perf_counter() - started) * 1000)
            errors += reply.status != 200
    conn.close()
    times.sort()
    return {"p50_ms": round(times[len(times) // 2], 2), "p99_ms": round(times[int(len(times) * 0.99)], 2),
            "errors": errors, "app_cpu_ms_per_req": round(app.seconds * 1000 / n, 3)}


def _cell(pid: int, ids: list[int], signs: list[str], dbname: str, args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {name: _pages(pid, ids, deep=deep, n=args.pages) for name, deep in PAGES}
    base = f"http://127.0.0.1:{servers.OURS_PORT}"
    for name, path in zip(WRK, (servers.OURS_PATH, f"/api/v1/stations/{ids[0]}?_=%.6f,%.6f",
                                f"/s/{signs[0]}?_=%.6f,%.6f"), strict=True):
        cell = {"clients": args.clients, "app_pids": {pid}, "dbname": dbname}
        loadgen.run_wrk(base, path, seconds=2, **cell)
        out[name] = loadgen.run_wrk(base, path, seconds=args.seconds, **cell).summary()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True, help="commit to compare the working tree with")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url = db.ensure_seeded(args.count)
    dbname = db.bench_dbname(args.count)
    ids, signs = _samples(db.libpq_url(url))
    cells: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        versions: dict[str, Path | None] = {"before": _archive(args.before, Path(tmp)), "after": None}
        for round_ in range(args.rounds):
            for version in list(versions) if round_ % 2 == 0 else list(reversed(versions)):
                with servers.ours(url, servers.SERVED, code=versions[version]) as pid:
                    cell = {"round": round_, "version": version, **_cell(pid, ids, signs, dbname, args)}
                cells.append(cell)
                print(json.dumps(cell), file=sys.stderr, flush=True)
    print(f"before = {args.before}, after = the working tree; {args.count:,} stations; machine shared\n")
    print("| round | version | path | req/s (c=32) | p50 ms | p99 ms | errors | app CPU ms/req | DB CPU ms/req |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---:|")
    for cell in cells:
        for name in (*(p for p, _ in PAGES), *WRK):
            s = cell[name]
            rps = f"{s['rps']:,.0f}" if "rps" in s else "(sequential)"
            print(f"| {cell['round']} | {cell['version']} | {name} | {rps} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | "
                  f"{s['errors']} | {s['app_cpu_ms_per_req']:.3f} | {s.get('db_cpu_ms_per_req', '')} |")
    print("\n| round | version | by id / nearest req/s | /s/ / nearest req/s |")
    print("|---:|---|---:|---:|")
    for cell in cells:
        nearest = cell["nearest (centres)"]["rps"] or 1.0
        print(f"| {cell['round']} | {cell['version']} | {cell['station by id']['rps'] / nearest:.2f}x | "
              f"{cell['/s/{sign_code}']['rps'] / nearest:.2f}x |")


if __name__ == "__main__":
    main()
