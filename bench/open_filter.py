"""Open-now filter: over-fetch and filter in Python, the opening test pushed into SQL, and what ships.

- over-fetch: `nearest_async` with no timetables learned (`services/timetables.py` capacity 0): 4x the limit
  is ranked in SQL, Python keeps the open ones, and fetches 4x more while short;
- SQL filter: the best case for SQL, the bench's own statement: Python decides which of the bench database's 16
  timetables are open at the asked minute and the statement keeps only stations on those, inside the KNN scan;
- shipped: `nearest_async` once the process has learned the timetables (known and open ones filtered in SQL,
  unknown ones still checked in Python).

All run the same points through asyncpg on one connection; client CPU and wall time per lookup are printed for
a weekday noon (most stations open), 03:00 (only 24/7 and self-service ones) and a statutory holiday.

    .venv/bin/python -m bench.open_filter [--count 100000] [--lookups 1500]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
from datetime import datetime
from typing import Any

import asyncpg

from bench import db, workload
from stations.db import queries
from stations.db.read_pool import PLANNER_SETTINGS
from stations.geo.crs import Crs
from stations.hours import SHANGHAI, package_calendar
from stations.services import nearest, timetables
from stations.services.opening import opening

MOMENTS = {"weekday 12:00": datetime(2026, 3, 4, 12, 0, tzinfo=SHANGHAI),
           "weekday 03:00": datetime(2026, 3, 4, 3, 0, tzinfo=SHANGHAI),
           "National Day 10:00": datetime(2026, 10, 2, 10, 0, tzinfo=SHANGHAI)}
_TIMETABLE = " AND (hours, coalesce(self_service_hours, '')) IN (SELECT * FROM unnest(CAST($3 AS text[]), " \
             "CAST($4 AS text[])))"


def sql_filtered(limit: int) -> str:
    """The shipped statement with the open timetables as a filter in both passes ($3, $4: hours, self-service)."""
    sql = queries.nearest_asyncpg(kinds=False, amenities=False, radius=False, k=limit)
    return re.sub(r"status <> 'closed'", "status = 'active'" + _TIMETABLE, sql)


async def _timetables(conn: asyncpg.Connection) -> list[tuple[str, str | None]]:
    return [(r["hours"], r["self_service_hours"])
            for r in await conn.fetch("SELECT DISTINCT hours, self_service_hours FROM stations")]


def _open_set(known: list[tuple[str, str | None]], at: datetime) -> tuple[list[str], list[str]]:
    open_ = [t for t in known
             if opening(status="active", hours=t[0], self_service_hours=t[1], at=at, calendar=package_calendar()).open]
    return [h for h, _ in open_], [s or "" for _, s in open_]


async def _measure(label: str, lookups: list[Any]) -> dict[str, float]:
    started, wall = time.process_time(), time.perf_counter()
    counts = [len(await lookup()) for lookup in lookups]
    n = len(lookups)
    return {"label": label, "cpu_ms": (time.process_time() - started) / n * 1e3,  # type: ignore[dict-item]
            "wall_ms": (time.perf_counter() - wall) / n * 1e3, "full": sum(c == 10 for c in counts) / n}


async def run(count: int, n: int) -> None:
    """Print client CPU and wall time per lookup, both ways, at each moment."""
    conn = await asyncpg.connect(db.libpq_url(db.ensure_seeded(count)), server_settings=PLANNER_SETTINGS)
    known, points = await _timetables(conn), workload.points(n, seed=9)
    print(f"{count:,} stations, {len(known)} timetables, {n} lookups of 10 open stations each\n")
    print("| moment | way | client CPU ms | wall ms | replies with 10 |\n|---|---|---:|---:|---:|")
    for moment, at in MOMENTS.items():
        hours, self_hours = _open_set(known, at)
        queries_ = [nearest.make_query(lon=lon, lat=lat, crs=Crs.WGS84, at=at, open_only=True)
                    for lon, lat in points]
        shipped = [lambda q=q: nearest.nearest_async(reads=conn, query=q) for q in queries_]
        ways: dict[str, list[Any]] = {"over-fetch": shipped,
                "SQL filter": [lambda q=q, h=hours, s=self_hours: conn.fetch(sql_filtered(10), q.lon, q.lat, h, s)
                               for q in queries_],
                "shipped": shipped}
        for way, lookups in ways.items():
            timetables.forget()
            timetables.CAPACITY = 0 if way == "over-fetch" else 256  # 0: a process that never learns
            await _measure(way, lookups[: n // 5])  # warm: plans, caches, learned timetables
            r = await _measure(way, lookups)
            print(f"| {moment} | {way} | {r['cpu_ms']:.3f} | {r['wall_ms']:.3f} | {r['full']:.0%} |")
    await conn.close()


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=1500)
    args = parser.parse_args()
    asyncio.run(run(args.count, args.lookups))


if __name__ == "__main__":
    main()
