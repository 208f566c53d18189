"""The app's CPU per lookup in one process, without HTTP: `answer()` (parse, search, shape, orjson) on the read pool.

It is steadier than `make bench`'s app CPU, which is read under load, where two app processes, the PostgreSQL
backends and wrk share two cores: that came out 0.16-0.38 ms higher a lookup at 100k, 0.08 ms of it uvicorn's
(fifth pass, README). Across processes this machine still drifts by up to 2x (the same code read 0.54-0.68 ms at
100k in three runs of the sixth pass): to compare two versions of the code, `bench.interleaved` runs them lookup
by lookup in one process.
A change that saves CPU here saves less under load; one that moves work into PostgreSQL looks better here than it
is. Four lookups in flight, as a worker holds at c=8 with two workers; the first half of the points warms the caches.
`--profile tottime` adds a cProfile table of a second pass (its per-call overhead inflates small functions).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import time
from functools import partial
from types import SimpleNamespace

import uvloop

from bench import db, workload
from stations.api.routes.nearest import answer
from stations.db.read_pool import read_pool
from stations.services.nearest import nearest_async

IN_FLIGHT = 4


async def measure(count: int, lookups: int, profile: str | None) -> None:
    """Print the CPU per lookup (process time over lookups) at `count` stations."""
    pool = read_pool(db.ensure_seeded(count), size=IN_FLIGHT)
    await pool.warm()
    app = SimpleNamespace(state=SimpleNamespace(nearest_reader=partial(nearest_async, reads=pool)))
    queries = [f"lon={lon:.6f}&lat={lat:.6f}" for lon, lat in workload.points(2 * lookups, seed=3)]
    warm, measured = queries[:lookups], queries[lookups:]

    async def lookups_of(chunk: list[str]) -> None:
        for query in chunk:
            await answer(app, query)  # type: ignore[arg-type]

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
