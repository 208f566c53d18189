"""Benchmark databases on the embedded cluster: created, migrated and seeded once, reused while the count holds."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import psycopg
from sqlalchemy import Engine, create_engine, text

from stations.db import migrate
from stations.db.local import LocalCluster
from stations.db.read_pool import libpq_url as libpq_url  # re-exported: the bench's scripts take it from here
from stations.services.registry.seed import seed_demo
from stations.settings import Settings

SEED = 20261125
ROOT = Path(__file__).resolve().parents[1]


def bench_dbname(count: int) -> str:
    """`stations_bench_100k`, `stations_bench_1m`: never the app's own database."""
    label = f"{count // 1_000_000}m" if count % 1_000_000 == 0 else f"{count // 1000}k"
    return f"stations_bench_{label}"


def cluster_url(dbname: str) -> str:
    """SQLAlchemy URL of `dbname` on the embedded cluster (started if needed)."""
    cluster = LocalCluster.from_settings(Settings(data_dir=os.environ.get("STATIONS_DATA_DIR", ROOT / "var")))
    cluster.up()
    return cluster.url(dbname)


def ensure_seeded(count: int) -> str:
    """A migrated database holding exactly `count` stations; seeds only when the row count differs."""
    dbname = bench_dbname(count)
    url = cluster_url(dbname)
    admin = libpq_url(cluster_url("postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    migrate.upgrade(url=url)
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            have = connection.execute(text("SELECT count(*) FROM stations")).scalar_one()
        if have != count:
            _reseed(engine, dbname, count, have)
        else:
            print(f"{dbname}: {have:,} stations already seeded", file=sys.stderr)
        _prewarm(engine)
    finally:
        engine.dispose()
    return url


def _prewarm(engine: Engine) -> None:
    """Load the registry table, its primary key and its spatial indexes into shared buffers, as on a server up for a
    while (the straight-line index of migration 0026 was left out of the first 1M runs that used it)."""
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
        for relation in ("stations", "stations_pkey", "ix_stations_geom", "ix_stations_geog", "ix_stations_ecef"):
            connection.execute(text("SELECT pg_prewarm(:relation)"), {"relation": relation})


def _reseed(engine: Engine, dbname: str, count: int, have: int) -> None:
    """Empty the registry tables and COPY `count` synthetic stations, with progress on stderr."""
    print(f"{dbname}: {have:,} stations, want {count:,}: seeding", file=sys.stderr)
    started, done = time.monotonic(), 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        rate = done / max(time.monotonic() - started, 1e-6)
        print(f"  {dbname}: {done:,}/{count:,} ({rate:,.0f}/s)", file=sys.stderr, flush=True)

    with engine.begin() as connection:
        connection.execute(text("TRUNCATE stations, sites, sign_serials RESTART IDENTITY CASCADE"))
        seed_demo(connection=connection, count=count, seed=SEED, progress=progress)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    print(f"{dbname}: seeded in {time.monotonic() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    for n in [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]:
        print(ensure_seeded(n).rsplit("/", 1)[-1])
