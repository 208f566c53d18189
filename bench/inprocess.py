"""The app's CPU per lookup in one process, without HTTP: `Nearest.answer` (parse, search, shape, orjson) on the
read pool, driven through the same public entry the app's HTTP layer calls.

Steadier than `make bench`'s app CPU, which is read under load where the app, PostgreSQL and wrk share two cores;
across processes this machine still drifts by up to 2x (docs/performance.md). A change that saves CPU here saves
less under load; one that moves work into PostgreSQL looks better here than it is. Four lookups in flight, as a
worker holds at c=8 with two workers; the first half of the points warms the caches.
`--profile tottime` adds a cProfile table of a second pass (its per-call overhead inflates small functions).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import time
from datetime import datetime

import uvloop

from bench import db, workload
from stations.db.read_pool import read_pool
from stations.hours import SHANGHAI, package_calendar
from stations.nearest import Nearest

IN_FLIGHT = 4


async def measure(count: int, lookups: int, profile: str | None) -> None:
    """Print the CPU per lookup (process time over lookups) at `count` stations."""
    pool = read_pool(db.ensure_seeded(count), size=IN_FLIGHT)
    await pool.warm()
    nearest = Nearest(pool)
    calendar = package_calendar()
    queries = [f"lon={lon:.6f}&lat={lat:.6f}" for lon, lat in workload.points(2 * lookups, seed=3)]
    warm, measured = queries[:lookups], queries[lookups:]

    async def lookups_of(chunk: list[str]) -> None:
        for query in chunk:
            await nearest.answer(query, now=datetime.now(SHANGHAI), calendar=calendar)

    await asyncio.gather(*(lookups_of(warm[i::IN_FLIGHT]) for i in range(IN_FLIGHT)))
    gc.freeze()  # as `stations serve` does after startup
    started = time.process_time()
    await asyncio.gather(*(lookups_of(measured[i::IN_FLIGHT]) for i in range(IN_FLIGHT)))
    print(f"{count:,} stations: {(time.process_time() - started) / lookups * 1e3:.3f} ms of CPU a lookup "
          f"({lookups:,} lookups, {IN_FLIGHT} in flight)", flush=True)
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        await asyncio.gather(*(lookups_of(warm[i::IN_FLIGHT]) for i in range(IN_FLIGHT)))
        profiler.disable()
        pstats.Stats(profiler).sort_stats(profile).print_stats(30)
    await pool.close()


def main() -> None:
    """Parse arguments and measure each size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--lookups", type=int, default=3_000)
    parser.add_argument("--profile", choices=["tottime", "cumtime"], default=None)
    args = parser.parse_args()
    for count in args.counts:
        uvloop.run(measure(count, args.lookups, args.profile))


if __name__ == "__main__":
    main()
