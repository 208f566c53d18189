"""Loading demo data: synthetic stations in bulk with COPY, and the small hand-made sample via the ORM."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import psycopg
from sqlalchemy import Connection, select, text
from sqlalchemy.orm import Session, selectinload

from stations.db.models import ChangeAction, Site, Station
from stations.errors import InvalidInput, StationsError
from stations.reference import ListingStatus, Provider
from stations.schemas.station import StationCreate
from stations.services.registry import changes
from stations.services.registry import stations as station_service
from stations.services.registry.demo import DemoStation, generate
from stations.services.registry.signcodes import format_sign_code

BATCH_SIZE = 20_000
SAMPLE_ACTOR = "demo-sample"
SAMPLE_REASON = "示例数据 (data/sample_stations.csv)"

_RESERVE_IDS = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n) ORDER BY 1")
# One statement per batch for all (adcode, kind) pairs, in a fixed order so concurrent allocators
# lock the sign_serials rows in the same order; returns the new last serial of each pair.
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
_COPY_STATIONS = """
    COPY stations (
        id, site_id, kind, name, address, adcode, geom, hours, self_service_hours, access_methods, amenities,
        capacity, area_m2, phone, manager_name, manager_phone, host_unit, managing_union, status,
        status_reason, star_rating, demonstration_level, verified_at, sign_code, sign_installed,
        sign_installed_at, sign_standard, sign_condition, is_synthetic
    ) FROM STDIN
"""
_COPY_LISTINGS = "COPY provider_listings (station_id, provider, status, poi_id, last_synced_at) FROM STDIN"
_COPY_CHANGES = "COPY station_changes (station_id, action, actor, reason, after) FROM STDIN"
SEED_ACTOR = "demo-seed"


def seed_demo(
    *, connection: Connection, count: int, seed: int, progress: Callable[[int], None] | None = None
) -> int:
    """COPY `count` synthetic stations (with sites and listings) in the caller's transaction; return count.

    `progress` is called after each batch with the number of stations that batch added.
    """
    loaded = 0
    for batch in _prefetched(_batches(generate(count=count, seed=seed), BATCH_SIZE)):
        _load_batch(connection, batch)
        loaded += len(batch)
        if progress is not None:
            progress(len(batch))
    return loaded


def _batches(stations: Iterable[DemoStation], size: int) -> Iterator[list[DemoStation]]:
    """Batches of about `size` stations that never split a site's co-located functions."""
    batch: list[DemoStation] = []
    for station in stations:
        if len(batch) >= size and station.site_key != batch[-1].site_key:
            yield batch
            batch = []
        batch.append(station)
    if batch:
        yield batch


def _prefetched(items: Iterator[list[DemoStation]]) -> Iterator[list[DemoStation]]:
    """Yield `items`, generating the next one in a worker thread while the database digests this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(next, items, None)
        while (item := upcoming.result()) is not None:
            upcoming = pool.submit(next, items, None)
            yield item


def _load_batch(connection: Connection, batch: Sequence[DemoStation]) -> None:
    """Reserve ids and sign codes for one batch, then COPY its sites, stations and listings."""
    codes = _sign_codes(connection, batch)
    firsts: dict[int, DemoStation] = {}
    for station in batch:
        firsts.setdefault(station.site_key, station)
    site_ids = dict(zip(firsts, _reserve_ids(connection, "sites", len(firsts)), strict=True))
    station_ids = _reserve_ids(connection, "stations", len(batch))
    driver = cast(psycopg.Connection[Any], connection.connection.driver_connection)
    with driver.cursor() as cursor:
        with cursor.copy(_COPY_SITES) as copy:
            for key, first in firsts.items():
                copy.write_row((site_ids[key], first.site_name, first.address, first.adcode))
        with cursor.copy(_COPY_STATIONS) as copy:
            for station_id, station, code in zip(station_ids, batch, codes, strict=True):
                copy.write_row(_station_row(station_id, site_ids[station.site_key], code, station))
        with cursor.copy(_COPY_LISTINGS) as copy:
            for station_id, station in zip(station_ids, batch, strict=True):
                for listing in station.listings:
                    status = listing.status.value
                    copy.write_row((station_id, listing.provider.value, status, listing.poi_id,
                                    listing.last_synced_at))
    _record_creates(connection, driver, station_ids)


def _record_creates(connection: Connection, driver: psycopg.Connection[Any], station_ids: list[int]) -> None:
    """Record each new station's creation with its public snapshot, as every write does.

    The history and the provider change feed read station_changes; a consumer replaying the feed
    must end with exactly the registry, demo stations included.
    """
    with Session(bind=connection) as session:
        loaded = session.scalars(
            select(Station).where(Station.id.in_(station_ids)).options(selectinload(Station.listings))
        )
        snapshots = [(station.id, json.dumps(changes.snapshot(station), ensure_ascii=False)) for station in loaded]
    with driver.cursor() as cursor, cursor.copy(_COPY_CHANGES) as copy:
        for station_id, after in snapshots:
            copy.write_row((station_id, ChangeAction.CREATE.value, SEED_ACTOR, "synthetic demo data", after))


def _reserve_ids(connection: Connection, table: str, n: int) -> list[int]:
    """Take `n` values from the table's identity sequence (never handed out again)."""
    return list(connection.execute(_RESERVE_IDS, {"table": table, "n": n}).scalars())


def _sign_codes(connection: Connection, batch: Sequence[DemoStation]) -> list[str]:
    """New unique sign codes for the batch, in batch order, allocated per (adcode, kind) in bulk."""
    counts = Counter((station.adcode, station.kind.value) for station in batch)
    pairs = sorted(counts)
    adcodes, kinds = [adcode for adcode, _ in pairs], [kind for _, kind in pairs]
    params = {"adcodes": adcodes, "kinds": kinds, "counts": [counts[pair] for pair in pairs]}
    result = connection.execute(_ALLOCATE_SERIALS, params)
    next_serial = {(adcode, kind): last - counts[(adcode, kind)] + 1 for adcode, kind, last in result}
    codes = []
    for station in batch:
        key = (station.adcode, station.kind.value)
        codes.append(format_sign_code(adcode=station.adcode, kind=station.kind, serial=next_serial[key]))
        next_serial[key] += 1
    return codes


def _station_row(station_id: int, site_id: int, sign_code: str, s: DemoStation) -> tuple[Any, ...]:
    """One COPY row of the stations table (geometry as EWKT, which PostGIS parses on input)."""
    return (
        station_id, site_id, s.kind.value, s.name, s.address, s.adcode, f"SRID=4326;POINT({s.lon} {s.lat})",
        s.hours, s.self_service_hours, _array(s.access_methods), _array(s.amenities), s.capacity, s.area_m2,
        s.phone, s.manager_name, s.manager_phone, s.host_unit, s.managing_union, s.status.value,
        s.status_reason, s.star_rating, s.demonstration_level.value, s.verified_at, sign_code,
        s.sign_installed, s.sign_installed_at, s.sign_standard,
        s.sign_condition.value if s.sign_condition else None, True,
    )


def _array(codes: Sequence[str]) -> str:
    """A PostgreSQL array literal of vocabulary codes (plain identifiers, so no quoting is needed).

    Passing the literal as text is several times faster in COPY than letting psycopg dump a list.
    """
    return "{" + ",".join(codes) + "}"


def load_sample(*, session: Session, path: Path) -> int:
    """Load the hand-made sample CSV (validated like any registration); flushes; return stations added."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    sites: dict[str, Site] = {}
    for line, row in enumerate(rows, start=2):
        try:
            _load_sample_row(session, row, sites)
        except StationsError as exc:
            raise type(exc)(f"{path.name} line {line}: {exc.message}") from exc
        except ValueError as exc:  # pydantic's ValidationError included
            raise InvalidInput(f"{path.name} line {line}: {exc}") from exc
    session.flush()
    return len(rows)


def _load_sample_row(session: Session, row: dict[str, str], sites: dict[str, Site]) -> None:
    """Create one sample station (and its site the first time the site key appears)."""
    data = _sample_create(row)
    key = row["site_key"] or data.name
    if key not in sites:
        site = Site(name=row["site_name"] or data.name, address=data.address, adcode=data.adcode)
        session.add(site)
        session.flush()
        sites[key] = site
    data = data.model_copy(update={"site_id": sites[key].id})
    station = station_service.create(session=session, data=data, actor=SAMPLE_ACTOR, reason=SAMPLE_REASON)
    station.is_synthetic = True
    _set_listings(session, station, {p: ListingStatus(row[p.value] or ListingStatus.NOT_LISTED) for p in Provider})


def _set_listings(session: Session, station: Station, statuses: dict[Provider, ListingStatus]) -> None:
    """Apply the sample's listing statuses and record that change in the station's history."""
    if all(listing.status == statuses[listing.provider] for listing in station.listings):
        return
    before = changes.snapshot(station)
    for listing in station.listings:
        listing.status = statuses[listing.provider]
    session.flush()
    changes.record(
        session=session, station=station, action=ChangeAction.UPDATE, actor=SAMPLE_ACTOR,
        reason="map listing status from the sample file", before=before,
    )


def _sample_create(row: dict[str, str]) -> StationCreate:
    """The registration request a sample CSV row describes (blank cells mean unset)."""
    skip = {"site_key", "site_name", *(p.value for p in Provider)}
    values: dict[str, Any] = {k: v.strip() for k, v in row.items() if k not in skip and v and v.strip()}
    for field in ("access_methods", "amenities"):
        values[field] = [part.strip() for part in values.get(field, "").split(";") if part.strip()]
    return StationCreate.model_validate(values)
