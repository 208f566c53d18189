"""Inserting checked rows in batches with COPY: sign codes per region and kind, one create change each."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, cast

import psycopg
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.db.models import ChangeAction, Station
from stations.geo.crs import to_wgs84
from stations.reference import Kind, ListingStatus, Provider
from stations.schemas.station import StationCreate
from stations.services.registry import changes, signcodes, stations

BATCH_SIZE = 5000
COLUMNS = (
    "id", "site_id", "kind", "name", "address", "adcode", "source_crs", "source_lon", "source_lat", "hours",
    "self_service_hours", "access_methods", "amenities", "capacity", "area_m2", "phone", "manager_name",
    "manager_phone", "host_unit", "managing_union", "photos", "status", "status_reason", "star_rating",
    "demonstration_level", "verified_at", "sign_code", "sign_installed", "sign_installed_at", "sign_standard",
    "sign_condition", "version", "created_at", "updated_at",
)
_COPY_STATIONS = f"COPY stations ({', '.join(COLUMNS)}, geom) FROM STDIN"
_COPY_LISTINGS = "COPY provider_listings (station_id, provider, status) FROM STDIN"
_COPY_CHANGES = "COPY station_changes (station_id, action, actor, reason, after) FROM STDIN"
_ONE_APPLY = text("SELECT pg_advisory_xact_lock(hashtext('stations.import.apply'))")
_RESERVE_IDS = text("SELECT nextval(pg_get_serial_sequence('stations', 'id')) FROM generate_series(1, :n)")


def one_apply_at_a_time(session: Session) -> None:
    """Wait until no other import is being applied, then hold that turn until this transaction ends."""
    session.execute(_ONE_APPLY)


def _codes(session: Session, batch: Sequence[StationCreate]) -> dict[tuple[str, Kind], Iterator[str]]:
    """New sign codes for the rows without one, allocated per (adcode, kind) in a fixed lock order."""
    need = Counter((d.adcode, d.kind) for d in batch if not d.sign_code)
    return {
        key: iter(signcodes.allocate(session=session, adcode=key[0], kind=key[1], count=n))
        for key, n in sorted(need.items())
    }


def _station(station_id: int, data: StationCreate, sign_code: str, now: datetime) -> Station:
    """The transient Station `stations.create` would insert, with the id and times COPY writes."""
    station = stations.build(data, sign_code=sign_code)
    station.id, station.version, station.created_at, station.updated_at = station_id, 1, now, now
    return station


def _cell(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _copy_row(station: Station, data: StationCreate) -> tuple[Any, ...]:
    lon, lat = to_wgs84(data.lon, data.lat, data.crs)
    return (*(_cell(getattr(station, c)) for c in COLUMNS), f"SRID=4326;POINT({lon!r} {lat!r})")


def insert(
    *, session: Session, rows: Sequence[StationCreate], actor: str, reason: str,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """COPY stations, their listings and a create change each (same transaction); returns the new ids."""
    ids: list[int] = []
    driver = cast(psycopg.Connection[Any], session.connection().connection.driver_connection)
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        now = datetime.now(UTC)
        pools = _codes(session, batch)
        new_ids = list(session.execute(_RESERVE_IDS, {"n": len(batch)}).scalars())
        stations = [
            _station(i, d, d.sign_code or next(pools[(d.adcode, d.kind)]), now)
            for i, d in zip(new_ids, batch, strict=True)
        ]
        with driver.cursor() as cursor:
            with cursor.copy(_COPY_STATIONS) as copy:
                for station, data in zip(stations, batch, strict=True):
                    copy.write_row(_copy_row(station, data))
            with cursor.copy(_COPY_LISTINGS) as copy:
                for station_id in new_ids:
                    for provider in Provider:
                        copy.write_row((station_id, provider.value, ListingStatus.NOT_LISTED.value))
            with cursor.copy(_COPY_CHANGES) as copy:
                for station in stations:
                    after = json.dumps(changes.snapshot(station), ensure_ascii=False)
                    copy.write_row((station.id, ChangeAction.CREATE.value, actor, reason, after))
        ids.extend(new_ids)
        if progress:
            progress(len(batch))
    return ids
