"""A lookup's Python after the fetch (parse, select, shape, orjson) in two versions, interleaved in one process.

`bench.inprocess` compares code across processes, and this machine's speed drifts by up to 2x from one run to the
next (sixth pass, README). Here both versions handle the same rows, lookup by lookup in alternating order, so a
drift hits both alike. The base version is the `stations` package of a commit (`git archive`), imported as
`stations_base` (its own imports renamed); the rows are fetched once, through today's code, so both versions must
read the same columns. Each repetition is timed twice: with the navigation links' cache cleared first (as at 1M
stations, where it hits 7% of rows) and warm.

    python -m bench.interleaved --base 9898a0c [--counts 100000 1000000] [--lookups 600]
"""

from __future__ import annotations

import argparse
import importlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import uvloop

from bench import db, workload
from stations.api import nearest_params
from stations.db.read_pool import read_pool
from stations.hours import SHANGHAI, package_calendar
from stations.services import nearest

ROOT = Path(__file__).resolve().parents[1]
REPETITIONS = 7
_IMPORT = re.compile(r"^(\s*(?:from|import) )stations(?=[.\s])", re.MULTILINE)


def base_package(commit: str, into: Path) -> str:
    """Unpack `stations` as of `commit` under `into` as the package `stations_base`; return its name."""
    archive = subprocess.run(["git", "archive", commit, "stations"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    package = into / "stations_base"
    shutil.move(into / "stations", package)
    for source in package.rglob("*.py"):
        source.write_text(_IMPORT.sub(r"\1stations_base", source.read_text()))
    sys.path.insert(0, str(into))
    return package.name


class Version:
    """One version's parse, select, shape and dump, and its navigation links' cache."""

    def __init__(self, package: str) -> None:
        module: dict[str, ModuleType] = {name: importlib.import_module(f"{package}.{path}") for name, path in (
            ("params", "api.nearest_params"), ("nearest", "services.nearest"),
            ("geojson", "services.nearest_geojson"), ("navigation", "services.navigation"))}
        self.parse, self.select = module["params"].parse, module["nearest"]._select
        self.shape, self.links = module["geojson"].feature_collection, module["navigation"].destination

    def lookup(self, query_string: str, rows: list[Any]) -> bytes:
        """The reply body of one lookup, from its query string and fetched rows."""
        request = self.parse(query_string)
        results = self.select(rows, query=request.query)
        return orjson.dumps(self.shape(results, query=request.query, lang=request.lang, out_crs=request.out_crs))


async def fetch_rows(count: int, lookups: int) -> list[tuple[str, list[Any]]]:
    """Query strings at the bench's points and the rows today's code fetches for them."""
    pool = read_pool(db.ensure_seeded(count), size=1)
    out = []
    try:
        for lon, lat in workload.points(lookups, seed=3):
            query_string = f"lon={lon:.6f}&lat={lat:.6f}"
            statement = nearest.first_statement(nearest_params.parse(
                query_string, now=datetime.now(SHANGHAI), calendar=package_calendar()).query)
            out.append((query_string, await pool.fetch(*statement)))
    finally:
        await pool.close()
    return out


def measure(versions: dict[str, Version], data: list[tuple[str, list[Any]]], *, cold: bool) -> dict[str, float]:
    """Median µs a lookup per version over `REPETITIONS` passes, alternating which version goes first."""
    times: dict[str, list[float]] = {label: [] for label in versions}
    for _ in range(REPETITIONS):
        if cold:
            for version in versions.values():
                version.links.cache_clear()
        spent = dict.fromkeys(versions, 0.0)
        for i, (query_string, rows) in enumerate(data):
            for label in (list(versions) if i % 2 else list(reversed(versions))):
                started = time.perf_counter()
                versions[label].lookup(query_string, rows)
                spent[label] += time.perf_counter() - started
        for label, seconds in spent.items():
            times[label].append(seconds / len(data) * 1e6)
    return {label: statistics.median(values) for label, values in times.items()}


def main() -> None:
    """Compare `--base` with today's code at each size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the commit to compare today's code with")
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--lookups", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions = {args.base: Version(base_package(args.base, Path(tmp))), "today": Version("stations")}
        print(f"| stations | links cache | {args.base} µs a lookup | today |\n|---:|---|---:|---:|")
        for count in args.counts:
            data = uvloop.run(fetch_rows(count, args.lookups))
            for cold in (True, False):
                got = measure(versions, data, cold=cold)
                print(f"| {count:,} | {'cleared' if cold else 'warm'} | {got[args.base]:.0f} | {got['today']:.0f} |",
                      flush=True)


if __name__ == "__main__":
    main()
