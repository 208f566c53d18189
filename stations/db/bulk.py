"""Bulk writes of the registry with COPY: reserved ids, sign serials allocated many at a time, and the rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, cast

import psycopg
from psycopg._copy_base import TextFormatter  # what `Copy.write_row` formats with, usable without a connection
from psycopg.adapt import Transformer
from sqlalchemy import Connection, text

STATION_COLUMNS = (
    "id", "site_id", "kind", "name", "address", "adcode", "source_crs", "source_lon", "source_lat", "hours",
    "self_service_hours", "access_methods", "amenities", "capacity", "area_m2", "phone", "manager_name",
    "manager_phone", "host_unit", "managing_union", "photos", "status", "status_reason", "star_rating",
    "demonstration_level", "verified_at", "opened_on", "sign_code", "sign_installed", "sign_installed_at",
    "sign_standard", "sign_condition", "is_synthetic", "version", "created_at", "updated_at",
)
"""The station columns COPY writes (then `geom`, as EWKT)."""

_RESERVE_IDS = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n) ORDER BY 1")
# All (adcode, kind) pairs in one statement, in a fixed order so concurrent allocators lock the sign_serials rows in
# the same order; returns each pair's new last serial.
_ALLOCATE_SERIALS = text(
    """
    INSERT INTO sign_serials (adcode, kind, last_serial)
    SELECT * FROM unnest(CAST(:adcodes AS varchar[]), CAST(:kinds AS varchar[]), CAST(:counts AS integer[]))
    ORDER BY 1, 2
    ON CONFLICT (adcode, kind) DO UPDATE SET last_serial = sign_serials.last_serial + excluded.last_serial
    RETURNING adcode, kind, last_serial
    """
)
_COPY_SITES = "COPY sites (id, name, address, adcode) FROM STDIN"
_COPY_STATIONS = f"COPY stations ({', '.join(STATION_COLUMNS)}, geom) FROM STDIN"
_COPY_LISTINGS = "COPY provider_listings (station_id, provider, status, poi_id, last_synced_at) FROM STDIN"
_COPY_CHANGES = "COPY station_changes (station_id, action, actor, reason, after) FROM STDIN"


def reserve_ids(*, connection: Connection, table: Literal["stations", "sites"], n: int) -> list[int]:
    """Take `n` values from the table's identity sequence (never handed out again), ascending."""
    return [int(i) for i in connection.execute(_RESERVE_IDS, {"table": table, "n": n}).scalars()]


def allocate_serials(*, connection: Connection, counts: Mapping[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Reserve `counts[(adcode, kind)]` consecutive sign serials per pair; the first new serial of each pair."""
    pairs = sorted(counts)
    params = {"adcodes": [a for a, _ in pairs], "kinds": [k for _, k in pairs], "counts": [counts[p] for p in pairs]}
    result = connection.execute(_ALLOCATE_SERIALS, params)
    return {(adcode, kind): int(last) - counts[(adcode, kind)] + 1 for adcode, kind, last in result}


class Rows:
    """Rows formatted as COPY text without a connection (a builder process makes them; `copy` sends the bytes):
    the bytes `Copy.write_row` would send, by the same formatter and the default adapters."""

    def __init__(self) -> None:
        self._formatter = TextFormatter(Transformer())
        self._data = bytearray()

    def add(self, row: tuple[Any, ...]) -> None:
        self._data += self._formatter.write_row(row)

    def done(self) -> bytes:
        self._data += self._formatter.end()  # the formatter buffers rows: the rest of them
        return bytes(self._data)


def copy(*, connection: Connection, sites: Iterable[tuple[Any, ...]], stations: bytes, listings: bytes,
         changes: bytes) -> None:
    """COPY rows of sites (id, name, address, adcode), then `Rows` of stations (`STATION_COLUMNS`, then EWKT geom),
    listings (station_id, provider, status, poi_id, last_synced_at) and changes (station_id, action, actor, reason,
    after JSON), in that order, in the connection's transaction."""
    driver = cast(psycopg.Connection[Any], connection.connection.driver_connection)
    with driver.cursor() as cursor:
        with cursor.copy(_COPY_SITES) as writer:
            for row in sites:
                writer.write_row(row)
        for statement, data in ((_COPY_STATIONS, stations), (_COPY_LISTINGS, listings), (_COPY_CHANGES, changes)):
            with cursor.copy(statement) as writer:
                writer.write(data)
