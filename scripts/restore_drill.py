"""Restore drill: dump the registry with pg_dump, restore it into a new database with pg_restore, and compare.

    .venv/bin/python scripts/restore_drill.py [--keep] [--jobs N] [--dump-dir DIR]

The source is STATIONS_DATABASE_URL (or the embedded cluster's database); the copy is a new database
`<name>_drill_<time>` on the same server, dropped afterwards unless --keep. Compared, table by table: the row count
and an MD5 over every row in primary-key order; then the schema (columns, indexes, constraints, triggers), the
sequences' positions, the migration revision, the extensions, and the answers of the nearest lookup itself at a few
city centres. Exit status 0 when everything matches. Its output for docs/operations.md is printed as it goes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import make_url

from stations.db.engine import database_url
from stations.db.local import pg_bindir
from stations.db.read_pool import read_pool
from stations.hours import SHANGHAI, package_calendar
from stations.nearest import Nearest, NearestQuery
from stations.settings import Settings

CITIES = Path(__file__).resolve().parents[1] / "data" / "demo_cities.json"
TABLES = """
    SELECT c.relname, coalesce(string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord), 't::text')
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace AND n.nspname = 'public'
    LEFT JOIN pg_index AS i ON i.indrelid = c.oid AND i.indisprimary
    LEFT JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
    LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE c.relkind = 'r'
    GROUP BY c.relname ORDER BY c.relname
"""
SCHEMA = {
    "columns": "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
               "WHERE table_schema = 'public' ORDER BY 1, 2",
    "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2",
    "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                   "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2",
    "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal "
                "ORDER BY 1, 2",
    "unlogged tables": "SELECT relname FROM pg_class WHERE relpersistence = 'u' AND relkind = 'r' ORDER BY 1",
    "sequences": "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1",
    "revision": "SELECT version_num FROM alembic_version ORDER BY 1",
    "extensions": "SELECT extname, extversion FROM pg_extension ORDER BY 1",
}


def libpq(url: str) -> str:
    """A SQLAlchemy URL as libpq spells it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def run(*args: str, url: str) -> float:
    """Run a PostgreSQL client program against `url`'s server (password in the environment); its seconds."""
    parts = make_url(url)
    env = os.environ | {"PGHOST": parts.host or "127.0.0.1", "PGPORT": str(parts.port or 5432),
                        "PGUSER": parts.username or "postgres", "PGPASSWORD": parts.password or ""}
    started = time.monotonic()
    result = subprocess.run([str(pg_bindir() / args[0]), *args[1:]], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{args[0]} failed: {result.stderr.strip()}")
    return time.monotonic() - started


def fingerprints(url: str) -> dict[str, tuple[int, str]]:
    """Per table: (rows, MD5 of the rows' MD5s in primary-key order)."""
    found = {}
    with psycopg.connect(libpq(url)) as conn:
        for table, order in conn.execute(TABLES).fetchall():
            query = f'SELECT count(*), md5(coalesce(string_agg(md5(t::text), \'\' ORDER BY {order}), \'\')) ' \
                    f'FROM public."{table}" AS t'
            rows, digest = conn.execute(query).fetchone()  # type: ignore[misc]
            found[table] = (int(rows), str(digest))
    return found


def schema(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """What the schema queries answer on `url`."""
    with psycopg.connect(libpq(url)) as conn:
        return {name: conn.execute(query).fetchall() for name, query in SCHEMA.items()}


def lookups(url: str) -> list[list[tuple[int, float]]]:
    """The nearest lookup's ten answers (id, metres) at each demo city centre, through the app's own search."""
    points = [(city["lon"], city["lat"]) for city in json.loads(CITIES.read_text(encoding="utf-8"))["cities"]][:8]
    at = datetime(2026, 12, 7, 12, 0, tzinfo=SHANGHAI)

    async def answers() -> list[list[tuple[int, float]]]:
        nearest = Nearest(read_pool(url, size=1))
        try:
            return [[(item.row["id"], round(item.distance_m, 3)) for item in await nearest.find(
                NearestQuery(lon=lon, lat=lat, at=at, calendar=package_calendar()))] for lon, lat in points]
        finally:
            await nearest.reads.close()  # type: ignore[attr-defined]

    return asyncio.run(answers())


def create_database(url: str, name: str, *, drop: bool = False) -> None:
    """Create (or drop) database `name` on `url`'s server."""
    admin = libpq(make_url(url).set(database="postgres").render_as_string(hide_password=False))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' if drop else f'CREATE DATABASE "{name}"')


def compare(what: str, source: object, copy: object, *, note: str = "") -> bool:
    """Print one comparison line; whether they match."""
    same = source == copy
    print(f"  {what:<52} {'same' if same else 'DIFFERENT'}{note if same else ''}")
    return same


def bare(definition: str) -> str:
    """A constraint's definition with casts and parentheses set aside: PostgreSQL prints `x IN ('a', 'b')` on a
    varchar column differently once a dump has been restored (`ARRAY[...]::text[]` becomes `ARRAY[(...)::text]`)."""
    return re.sub(r"[()\s]", "", re.sub(r"::[a-z][a-z ]*[a-z](\[\])?", "", definition))


def constraints(found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The constraints with their definitions as `bare` shows them."""
    return [(table, name, bare(definition)) for table, name, definition in found]


def main() -> int:
    """Dump, restore, compare; 0 when the copy is the registry."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--keep", action="store_true", help="keep the restored database")
    options.add_argument("--jobs", type=int, default=2, help="pg_restore workers (default 2)")
    options.add_argument("--dump-dir", type=Path, default=None, help="keep the dump file here")
    args = options.parse_args()
    source = database_url(Settings())
    name = make_url(source).database or "stations"
    copy_name = f"{name}_drill_{datetime.now(SHANGHAI):%Y%m%d%H%M%S}"
    copy = make_url(source).set(database=copy_name).render_as_string(hide_password=False)
    folder = args.dump_dir or Path(tempfile.mkdtemp(prefix="stations-drill-"))
    dump = folder / f"{name}.dump"
    print(f"restore drill of database {name!r} ({datetime.now(SHANGHAI):%Y-%m-%d %H:%M} Beijing time)")
    seconds = run("pg_dump", "--format=custom", "--compress=6", f"--file={dump}", f"--dbname={name}", url=source)
    print(f"  pg_dump --format=custom: {dump.stat().st_size / 2**20:.1f} MB in {seconds:.1f} s")
    create_database(source, copy_name)
    try:
        seconds = run("pg_restore", "--exit-on-error", "--no-owner", f"--jobs={args.jobs}", f"--dbname={copy_name}",
                      str(dump), url=source)
        print(f"  pg_restore --jobs={args.jobs} into {copy_name!r}: {seconds:.1f} s")
        started = time.monotonic()
        ours, theirs = fingerprints(source), fingerprints(copy)
        total = sum(rows for rows, _ in ours.values())
        print(f"  compared {len(ours)} tables, {total:,} rows, in {time.monotonic() - started:.1f} s:")
        ok = compare("tables", sorted(ours), sorted(theirs))
        for table, (rows, _) in sorted(ours.items(), key=lambda item: -item[1][0])[:6]:
            ok &= compare(f"{table}: {rows:,} rows and their MD5", ours[table], theirs.get(table))
        ok &= compare("every other table's rows and MD5", ours, theirs)
        mine, restored = schema(source), schema(copy)
        for part in SCHEMA:
            if part == "constraints" and mine[part] != restored[part]:
                reworded = sum(a != b for a, b in zip(mine[part], restored[part], strict=False))
                ok &= compare(f"{part} ({len(mine[part])})", constraints(mine[part]), constraints(restored[part]),
                              note=f": {reworded} CHECKs reprinted by PostgreSQL, equal without casts and parentheses")
            else:
                ok &= compare(f"{part} ({len(mine[part])})", mine[part], restored[part])
        answers = lookups(source)
        found = sum(len(answer) for answer in answers)
        ok &= compare(f"nearest lookups at 8 city centres ({found} found)", answers, lookups(copy))
        print("  the copy is the registry" if ok else "  THE COPY DIFFERS: do not rely on this backup")
        return 0 if ok else 1
    finally:
        if not args.keep:
            create_database(source, copy_name, drop=True)
        if args.dump_dir is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
