"""Benchmark: generate an N-row clerk CSV (GB18030, Chinese headers) and time dry run and apply.

Usage: STATIONS_DATABASE_URL=... python scripts/bench_import.py [N]  (use a scratch database: it writes).
`make bench-scale` runs the same on its own scratch database (bench/writes.py), next to demo seeding.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the bench package beside stations

from bench.writes import import_run
from stations.db import migrate
from stations.db.engine import database_url
from stations.settings import Settings


def main(n: int) -> None:
    """Time the dry run and the apply of an N-row file."""
    url = database_url(Settings())
    migrate.upgrade(url=url)
    run = import_run(url, n)
    print(f"{n} rows: dry run {run['dry_run_s']:.1f} s, apply (re-check + insert) {run['seconds']:.1f} s, "
          f"created {run['created']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
