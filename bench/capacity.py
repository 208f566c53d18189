"""Cores to provision for the nearest lookup at a given peak, from a `make bench` results file.

    .venv/bin/python -m bench.capacity bench/results/2026-12-06-2.json [--utilisation 0.5]

The CPU a lookup costs the app and PostgreSQL is measured per request by `make bench` (process CPU time over
requests, docs/performance.md). At the largest registry size in the file, the cells at c=8 and c=32 (a server under
load, as at lunchtime) give the costlier of the two per request; cores busy = lookups/s x CPU per lookup, and cores
to provision = busy / utilisation (0.5 by default: a replica or an app host can be lost at peak, and bursts come on
top of the hourly peak). Prints the Markdown table docs/operations.md carries.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

LOADS = (100, 1_000, 3_000, 10_000)
"""Peaks to print: 100/s is the unit; about a million searches a day today is ~35/s at a lunchtime peak of three
times the day's average, and a national rider service could see thousands a second."""


def per_lookup(result: dict[str, Any]) -> tuple[int, float, float]:
    """(stations, app CPU ms, database CPU ms) per lookup: the costlier loaded cell at the largest size."""
    count = max(result["runs"], key=int)
    ours = result["runs"][count]["ours"]
    loaded = [ours[c] for c in ("8", "32") if c in ours]
    return int(count), max(cell["app_cpu_ms_per_req"] for cell in loaded), max(
        cell["db_cpu_ms_per_req"] for cell in loaded)


def table(result: dict[str, Any], *, utilisation: float, source: str) -> str:
    """The capacity table in Markdown."""
    count, app_ms, db_ms = per_lookup(result)
    lines = [f"From `{source}` (code {result.get('code', '?')}, {result['machine']['nproc']} {result['machine']['cpu']}"
             f" cores): at {count:,} stations a lookup costs the app {app_ms:.3f} ms and PostgreSQL {db_ms:.3f} ms of"
             f" CPU (the costlier of c=8 and c=32). Provisioned at {utilisation:.0%} utilisation:", "",
             "| peak lookups/s | app cores busy | DB cores busy | app cores to provision | DB cores to provision |",
             "|---:|---:|---:|---:|---:|"]
    for load in LOADS:
        app, db = load * app_ms / 1000, load * db_ms / 1000
        lines.append(f"| {load:,} | {app:.2f} | {db:.2f} | {_cores(app / utilisation)} | {_cores(db / utilisation)} |")
    return "\n".join(lines)


def _cores(value: float) -> str:
    """Whole cores once there is more than one, else two decimals."""
    return f"{value:.2f}" if value < 1 else f"{math.ceil(value)}"


def main() -> None:
    """Print the table for the results file given."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("results", type=Path)
    options.add_argument("--utilisation", type=float, default=0.5)
    args = options.parse_args()
    print(table(json.loads(args.results.read_text()), utilisation=args.utilisation, source=str(args.results)))


if __name__ == "__main__":
    main()
