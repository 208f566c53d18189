"""Every filter combination of the nearest lookup, timed on the bench databases (`make bench` times only the
unfiltered one): wall ms per lookup through one asyncpg connection with the read pool's planner settings, the
search included (`nearest_async`), shaping and HTTP not. One lookup at a time, so wall time is mostly PostgreSQL's.

The filters are a rider's: outdoor stations, with drinking water and phone charging, within 3 km, open at a weekday
noon (the open filter's timetables learned first, as a running process has them).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
from datetime import datetime

import asyncpg

from bench import db, workload
from stations.db.read_pool import PLANNER_SETTINGS
from stations.geo.crs import Crs
from stations.hours import SHANGHAI
from stations.reference import Kind
from stations.services import nearest

AT = datetime(2026, 3, 4, 12, 0, tzinfo=SHANGHAI)
RADIUS_M = 3_000.0


async def run(count: int, n: int) -> None:
    """Print a Markdown row per filter combination: mean and worst wall ms, and how many replies were full."""
    conn = await asyncpg.connect(db.libpq_url(db.ensure_seeded(count)), server_settings=PLANNER_SETTINGS)
    points = workload.points(n, seed=11)
    print(f"\n{count:,} stations, {n} lookups of 10 per row\n")
    print("| kind | amenities | radius | open | mean ms | max ms | replies with 10 |\n|---|---|---|---|---:|---:|---:|")
    for kinds, amenities, radius, open_ in itertools.product((False, True), repeat=4):
        lookups = [nearest.make_query(
            lon=lon, lat=lat, crs=Crs.WGS84, at=AT, kinds=[Kind.OUTDOOR_STATION] if kinds else [],
            amenities=["drinking_water", "phone_charging"] if amenities else [],
            radius_m=RADIUS_M if radius else None, open_only=open_) for lon, lat in points]
        for query in lookups[: n // 5]:  # warm: the prepared statement, learned timetables
            await nearest.nearest_async(reads=conn, query=query)
        times, full = [], 0
        for query in lookups:
            started = time.perf_counter()
            full += len(await nearest.nearest_async(reads=conn, query=query)) == query.limit
            times.append(time.perf_counter() - started)
        mark = {True: "yes", False: ""}
        print(f"| {mark[kinds]} | {mark[amenities]} | {mark[radius]} | {mark[open_]} | "
              f"{sum(times) / n * 1e3:.2f} | {max(times) * 1e3:.1f} | {full / n:.0%} |", flush=True)
    await conn.close()


def main() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()
    for count in args.counts:
        asyncio.run(run(count, args.lookups))


if __name__ == "__main__":
    main()
