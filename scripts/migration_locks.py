"""What typical migration steps lock on the `stations` table, and for how long, on the database you point it at.

    STATIONS_LOCAL_DB_NAME=stations_1m .venv/bin/python scripts/migration_locks.py

Each step runs in a transaction that is rolled back (CREATE INDEX CONCURRENTLY cannot: its index is dropped again),
so the database is left as it was. For each: the strongest lock the step holds on `stations` (from pg_locks, inside
its transaction), whether that lock stops riders' reads or staff writes while it is held, and how long the step took.
A migration holds its locks until it commits, so a file's steps add up. Numbers are this machine's: rerun it on
yours (docs/operations.md has the run of 2026-12-07 on 1M stations).
"""

from __future__ import annotations

import sys
import time

import psycopg

from stations.db.engine import database_url
from stations.settings import Settings

BLOCKS = {  # lock mode -> (stops reads, stops writes)
    "AccessExclusiveLock": (True, True), "ExclusiveLock": (False, True), "ShareRowExclusiveLock": (False, True),
    "ShareLock": (False, True), "ShareUpdateExclusiveLock": (False, False), "RowExclusiveLock": (False, False),
    "AccessShareLock": (False, False),
}
STRENGTH = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
            "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"]
STEPS = [
    ("add a nullable column", "ALTER TABLE stations ADD COLUMN drill_note text"),
    ("add a column with a constant default",
     "ALTER TABLE stations ADD COLUMN drill_flag boolean NOT NULL DEFAULT false"),
    ("add a column with a volatile default (rewrite)",
     "ALTER TABLE stations ADD COLUMN drill_seen timestamptz NOT NULL DEFAULT clock_timestamp()"),
    ("widen varchar(200) to text (no rewrite)", "ALTER TABLE stations ALTER COLUMN name TYPE text"),
    ("set NOT NULL on a column (full scan)", "ALTER TABLE stations ALTER COLUMN name SET NOT NULL",
     "ALTER TABLE stations ALTER COLUMN name DROP NOT NULL"),
    ("add a CHECK constraint (full scan)",
     "ALTER TABLE stations ADD CONSTRAINT drill_check CHECK (length(name) < 500)"),
    ("add a CHECK NOT VALID", "ALTER TABLE stations ADD CONSTRAINT drill_check CHECK (length(name) < 500) NOT VALID"),
    ("CREATE INDEX (btree on name)", "CREATE INDEX drill_name ON stations (name)"),
    ("CREATE INDEX (GiST on geography(geom))", "CREATE INDEX drill_geog ON stations USING gist (geography(geom))"),
    ("backfill: UPDATE every row", "UPDATE stations SET amenities = amenities"),
]
VALIDATE = ("then VALIDATE it, committed apart (full scan)", "ALTER TABLE stations VALIDATE CONSTRAINT drill_check",
            "ALTER TABLE stations ADD CONSTRAINT drill_check CHECK (length(name) < 500) NOT VALID",
            "ALTER TABLE stations DROP CONSTRAINT drill_check")
ROW_LOCKS = {"backfill: UPDATE every row"}
"""Steps whose table lock stops nobody but whose row locks stop every write to the rows they touched, until commit."""
CONCURRENT = ("CREATE INDEX CONCURRENTLY (btree on name)", "CREATE INDEX CONCURRENTLY drill_name ON stations (name)",
              "DROP INDEX CONCURRENTLY drill_name")


def strongest(conn: psycopg.Connection[tuple[object, ...]]) -> str:
    """The strongest lock this session holds on `stations`."""
    modes = [str(row[0]) for row in conn.execute(
        "SELECT mode FROM pg_locks WHERE relation = 'stations'::regclass AND pid = pg_backend_pid() AND granted")]
    return max(modes, key=STRENGTH.index) if modes else "none"


def line(name: str, mode: str, seconds: float) -> None:
    """One row of the report."""
    reads, writes = BLOCKS.get(mode, (False, False))
    stops_writes = "its rows' (row locks)" if name in ROW_LOCKS else "yes" if writes else "no"
    print(f"| {name} | {mode} | {'yes' if reads else 'no'} | {stops_writes} | {seconds:.2f} |")


def in_transaction(conn: psycopg.Connection[tuple[object, ...]], name: str, statement: str, *setup: str) -> None:
    """Run `setup` then `statement` in one transaction, report the statement, roll both back."""
    for step in setup:
        conn.execute(step)
    started = time.monotonic()
    conn.execute(statement)
    seconds = time.monotonic() - started
    line(name, strongest(conn), seconds)
    conn.rollback()


def main() -> int:
    """Run every step on the configured database and print the table (the backfill last: it leaves a million dead
    rows behind until the next vacuum)."""
    url = database_url(Settings()).replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE stations")
        rows = conn.execute("SELECT count(*) FROM stations").fetchone()[0]  # type: ignore[index]
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size('stations'))").fetchone()[0]  # type: ignore[index]
    print(f"{rows:,} stations, {size} with indexes\n")
    print("| step | lock on stations | stops reads | stops writes | held for (s) |")
    print("|---|---|---|---|---:|")
    with psycopg.connect(url) as conn:
        for name, statement, *setup in STEPS[:-1]:
            in_transaction(conn, name, statement, *setup)
            if name == "add a CHECK NOT VALID":
                name, statement, setup_step, undo = VALIDATE
                conn.execute(setup_step)
                conn.commit()
                in_transaction(conn, name, statement)
                conn.execute(undo)
                conn.commit()
    name, statement, undo = CONCURRENT
    with psycopg.connect(url, autocommit=True) as conn:
        started = time.monotonic()
        conn.execute(statement)
        line(name, "ShareUpdateExclusiveLock", time.monotonic() - started)
        conn.execute(undo)
    with psycopg.connect(url) as conn:
        in_transaction(conn, *STEPS[-1])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM stations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
