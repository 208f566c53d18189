"""What each optimisation bought: the nearest endpoint of successive commits, c=8, 100k stations, one run.

Each step serves the `stations` package exported from a commit (`git archive`) with the given serve options,
against the same seeded database and the same random points; the floor is measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import db, loadgen, servers

ROOT = Path(__file__).resolve().parents[1]
# (label, commit, serve options): each row adds one change to the row above.
STEPS = [
    ("baseline: sync route, SQLAlchemy session, 1 worker, access log", "e364366", []),
    ("--no-access-log", "c050d83", ["--no-access-log"]),
    ("--workers 2", "c050d83", servers.SERVED),
    ("NEAREST as a psycopg prepared statement, dict rows", "fa948fb", servers.SERVED),
    ("opening cached per (hours, minute)", "02b35fa", servers.SERVED),
    ("navigation links: cached per station", "af7350e", servers.SERVED),
    ("orjson bytes reply, amenity labels cached per set", "ca8b12d", servers.SERVED),
    ("amenity labels cached per code", "bb91e07", servers.SERVED),
    ("async route on a psycopg read pool, prepared per (shape, k), JIT off", "9ba001a", servers.SERVED),
    ("navigation formats inlined", "d8638bd", servers.SERVED),
    ("read pool 4x pool_size (no queueing for a connection)", "e645fe4", servers.SERVED),
    # 2026-11-29: the second pass at issue 3 (run with --first 11 to measure only these against the start)
    ("start of the second pass (the rows above, plus later feature work)", "508e26a", servers.SERVED),
    ("ASGI fast path with a hand parser, asyncpg, per-lookup shaping", "d88f83f", servers.SERVED),
    ("own read pool warmed at startup, startup heap frozen (gc.freeze)", "e5888f9", servers.SERVED),
    ("amenity labels by (kind, code)", "28de36c", servers.SERVED),
    # 2026-11-29, third pass (run with --first 14: the second pass's end, then this)
    ("FastAPI's native OpenTelemetry off; origin tails and amenity labels per kind", "b04b007", servers.SERVED),
    # 2026-11-30, fourth pass (run with --first 16 --count 1000000: the third pass's end, then this; it shows at 1M)
    ("end of the third pass", "f03815d", servers.SERVED),
    ("read pool keeps PostgreSQL's generic plans", "61f39ae", servers.SERVED),
    # 2026-11-30, fifth pass (run with --first 18 --count 1000000: the fourth pass's end, then this)
    ("end of the fourth pass", "e4efc00", servers.SERVED),
    ("opening states shared per minute", "630b831", servers.SERVED),
    # 2026-11-30, sixth pass (run with --first 20, at 1M and 100k: the fifth pass's end, then this)
    ("end of the fifth pass", "9898a0c", servers.SERVED),
    ("cheaper rounding, travel minutes and link encoding per row", "56b8009", servers.SERVED),
]


def export(commit: str, into: Path) -> Path:
    """The `stations` package as of `commit`, unpacked under `into`."""
    target = into / commit
    target.mkdir()
    archive = subprocess.run(["git", "archive", commit, "stations"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    # The bench database is migrated by today's code: older steps get today's migrations (no-ops for them).
    shutil.rmtree(target / "stations" / "migrations")
    shutil.copytree(ROOT / "stations" / "migrations", target / "stations" / "migrations")
    return target


def main() -> None:
    """Measure every step and print a Markdown table of req/s and app CPU per request."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--extra", nargs=3, action="append", default=[], metavar=("LABEL", "COMMIT", "OPTIONS"))
    parser.add_argument("--first", type=int, default=0, help="skip the STEPS before this index")
    args = parser.parse_args()
    steps = STEPS[args.first:] + [(label, commit, options.split()) for label, commit, options in args.extra]
    url = db.ensure_seeded(args.count)
    base = f"http://127.0.0.1:{servers.OURS_PORT}"
    floor = loadgen.run_pgbench(db.libpq_url(url), clients=args.clients, seconds=args.seconds).summary()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, commit, options in steps:
            code = export(commit, Path(tmp)) if not (Path(tmp) / commit).exists() else Path(tmp) / commit
            with servers.ours(url, options, code=code) as pid:
                dbname = db.bench_dbname(args.count)
                loadgen.run_wrk(base, servers.OURS_PATH, clients=args.clients, seconds=2, app_pids={pid},
                                dbname=dbname)
                result = loadgen.run_wrk(base, servers.OURS_PATH, clients=args.clients, seconds=args.seconds,
                                         app_pids={pid}, dbname=dbname).summary()
            rows.append((label, commit, options, result))
            print(f"{label}: {json.dumps(result)}", file=sys.stderr, flush=True)
    print(f"floor (pgbench, same run): {floor['rps']:,.0f} req/s\n")
    print("| change | commit | req/s | vs previous | ours/floor | p99 ms | app CPU ms/req |")
    print("|---|---|---:|---:|---:|---:|---:|")
    previous = None
    for label, commit, _options, r in rows:
        gain = f"{r['rps'] / previous:.2f}x" if previous else ""
        print(f"| {label} | {commit} | {r['rps']:,.0f} | {gain} | {r['rps'] / floor['rps']:.2f}x | "
              f"{r['p99_ms']:.1f} | {r['app_cpu_ms_per_req']:.3f} |")
        previous = r["rps"]


if __name__ == "__main__":
    main()
