"""Keeping `station_links` current: each station's `navigation.link_parts`, stored once per station version.

Every station write stores the parts of the stations it wrote, in its own transaction: the station services after
each change (`changes.record`), the importer and the demo seed after each COPY batch. A lookup uses stored parts only
while their version is the station's, so a write that bumps the version without storing them (a future path, a
hand-made UPDATE) makes lookups compute that station's parts until `refresh_missing` runs, which `stations serve`
does at start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import psycopg
from psycopg.rows import dict_row
from sqlalchemy import Connection, text

from stations.services import navigation

BATCH_SIZE = 10_000

_COLUMNS = "s.id, s.version, s.name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat"
_OF_IDS = f"SELECT {_COLUMNS} FROM stations AS s WHERE s.id = ANY(%(ids)s)"
_NOT_CURRENT = f"(l.station_id IS NULL OR l.version <> s.version OR l.layout <> {int(navigation.LAYOUT)})"
_MISSING = f"""
    SELECT {_COLUMNS} FROM stations AS s LEFT JOIN station_links AS l ON l.station_id = s.id
    WHERE s.id > %(after)s AND {_NOT_CURRENT} ORDER BY s.id LIMIT %(limit)s
"""
_COPY = "COPY station_links (station_id, version, layout, parts) FROM STDIN (FORMAT BINARY)"
_COUNT_MISSING = text(f"""
    SELECT count(*) FROM stations AS s LEFT JOIN station_links AS l ON l.station_id = s.id WHERE {_NOT_CURRENT}
""")


def refresh(connection: Connection, station_ids: Sequence[int]) -> None:
    """Store these stations' parts as the stations now stand, replacing older ones (the caller's transaction)."""
    driver = _driver(connection)
    for start in range(0, len(station_ids), BATCH_SIZE):
        ids = list(station_ids[start : start + BATCH_SIZE])
        with driver.cursor(row_factory=dict_row) as cursor:
            _write(driver, cursor.execute(_OF_IDS, {"ids": ids}).fetchall())


def refresh_missing(connection: Connection, *, progress: Callable[[int], None] | None = None) -> int:
    """Store the parts of every station without current ones, in batches; return how many."""
    driver, after, done = _driver(connection), 0, 0
    while True:
        with driver.cursor(row_factory=dict_row) as cursor:
            rows = cursor.execute(_MISSING, {"after": after, "limit": BATCH_SIZE}).fetchall()
        if not rows:
            return done
        _write(driver, rows)
        after, done = rows[-1]["id"], done + len(rows)
        if progress is not None:
            progress(len(rows))


def count_missing(connection: Connection) -> int:
    """How many stations have no parts of their current version and layout."""
    return int(connection.execute(_COUNT_MISSING).scalar_one())


def _write(driver: psycopg.Connection[Any], rows: Sequence[dict[str, Any]]) -> None:
    with driver.cursor() as cursor:
        cursor.execute("DELETE FROM station_links WHERE station_id = ANY(%(ids)s)", {"ids": [r["id"] for r in rows]})
        with cursor.copy(_COPY) as copy:
            copy.set_types(["int8", "int4", "int2", "text[]"])
            for row in rows:
                parts = navigation.link_parts(row["lon"], row["lat"], row["name"])
                copy.write_row((row["id"], row["version"], navigation.LAYOUT, parts))


def _driver(connection: Connection) -> psycopg.Connection[Any]:
    return cast(psycopg.Connection[Any], connection.connection.driver_connection)
