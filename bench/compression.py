"""CPU and bytes of a compressed nearest reply, against the lookup itself, in one process and one sitting.

The map's own query (20 sites, group=site, Chinese labels) is answered by `Nearest.answer` on the read pool, as the
app's HTTP layer calls it; each reply body is then compressed by each codec. Blocks of lookups alternate between
"lookup only" and "lookup + codec", so the machine's drift (it is shared) falls on both alike; what is printed is
the CPU per lookup of each and the ratio to the lookup alone. brotli is measured when its package is importable
(it is not a dependency). `make bench-compression` (or `python -m bench.compression --count 100000`).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import zlib
from collections.abc import Callable
from datetime import datetime

import uvloop

from bench import db, workload
from stations.db.read_pool import read_pool
from stations.hours import SHANGHAI, package_calendar
from stations.nearest import Nearest
from stations.nearest.encoding import encode

Codec = Callable[[bytes], bytes]
MAP_QUERY = "limit=20&group=site&lang=zh&out_crs=wgs84"


def codecs() -> dict[str, Codec]:
    """The codecs measured: the app's own (`encoding.encode`), zlib's gzip at 1/6/9, brotli 1/4/5 if importable."""
    def gzip_at(level: int) -> Codec:
        return lambda body: (lambda z: z.compress(body) + z.flush())(zlib.compressobj(level, zlib.DEFLATED, 31))

    found: dict[str, Codec] = {"app (encoding.encode)": lambda body: encode(body, "gzip, deflate, br")[0]}
    found |= {f"gzip -{level}": gzip_at(level) for level in (1, 6, 9)}
    try:
        import brotli  # type: ignore[import-not-found]  # optional: not a dependency
    except ImportError:
        return found

    def brotli_at(quality: int) -> Codec:
        return lambda body: bytes(brotli.compress(body, quality=quality))

    return found | {f"brotli q{q}": brotli_at(q) for q in (1, 4, 5)}


async def measure(count: int, lookups: int, rounds: int) -> None:
    """Print bytes and CPU per lookup for every codec at `count` stations."""
    pool = read_pool(db.ensure_seeded(count), size=1)
    await pool.warm()
    nearest, calendar = Nearest(pool), package_calendar()
    points = [f"lon={lon:.6f}&lat={lat:.6f}&{MAP_QUERY}" for lon, lat in workload.points(lookups, seed=5)]
    bodies = [await nearest.answer(q, now=datetime.now(SHANGHAI), calendar=calendar) for q in points]  # warm-up
    table = codecs()
    cpu: dict[str, list[float]] = {name: [] for name in ["lookup only", *table]}

    async def block(codec: Codec | None) -> float:
        started = time.process_time()
        for query in points:
            body = await nearest.answer(query, now=datetime.now(SHANGHAI), calendar=calendar)
            if codec is not None:
                codec(body)
        return (time.process_time() - started) / len(points) * 1e3

    gc.freeze()
    for _ in range(rounds):  # alternate: lookup only, then each codec, every round
        for name in cpu:
            cpu[name].append(await block(table.get(name)))
    raw = statistics.mean(len(b) for b in bodies)
    base = statistics.median(cpu["lookup only"])
    print(f"{count:,} stations, {lookups} lookups x {rounds} rounds, mean reply {raw / 1024:.1f} KB raw")
    print(f"{'codec':<22} {'KB sent':>8} {'ratio':>6} {'CPU ms/lookup':>14} {'vs lookup only':>15}")
    for name, samples in cpu.items():
        codec = table.get(name)
        size = raw if codec is None else statistics.mean(len(codec(b)) for b in bodies)
        ms = statistics.median(samples)
        print(f"{name:<22} {size / 1024:>8.1f} {raw / size:>5.1f}x {ms:>14.3f} {ms / base:>14.2f}x", flush=True)
    await pool.close()


def main() -> None:
    """Parse arguments and measure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    uvloop.run(measure(args.count, args.lookups, args.rounds))


if __name__ == "__main__":
    main()
