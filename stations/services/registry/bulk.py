"""The one bulk writer of the registry, shared by seeding and import: stations built as for a single write,
inserted with COPY a batch at a time, each with its listings, its sign code and its create change."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import configure_mappers, instrumentation

from stations.db import bulk
from stations.db.models import ChangeAction, ProviderListing, Station
from stations.reference import Kind
from stations.services.registry import changes
from stations.services.registry.signcodes import format_sign_code


def draft(values: dict[str, Any], listings: list[ProviderListing]) -> Station:
    """A transient Station for the bulk writer only, its attributes set without the ORM's change events (what
    loading a row does; ~5x cheaper than `Station(**values)` per station). Every column not in `values` is None, as
    on a transient Station. Never add one to a session: with no recorded changes its INSERT would lack the values."""
    if not _STATION_MANAGER.mapper.configured:
        configure_mappers()  # as a mapped constructor does
    station: Station = _STATION_MANAGER.new_instance()
    station.__dict__.update(_NONE_COLUMNS)
    station.__dict__.update(values)
    station.__dict__["listings"] = listings
    return station


def draft_listing(values: dict[str, Any]) -> ProviderListing:
    """A transient ProviderListing for `draft`, set as `draft` sets a station (never added to a session)."""
    listing: ProviderListing = _LISTING_MANAGER.new_instance()
    listing.__dict__.update(_NONE_LISTING_COLUMNS)
    listing.__dict__.update(values)
    return listing


_STATION_MANAGER = instrumentation.manager_of_class(Station)
_LISTING_MANAGER = instrumentation.manager_of_class(ProviderListing)
_NONE_COLUMNS = dict.fromkeys(c.key for c in Station.__table__.columns)
_NONE_LISTING_COLUMNS = dict.fromkeys(c.key for c in ProviderListing.__table__.columns)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a bulk write builds its rows (each batch holds ~10^5 young objects
    that would trigger it over and over: ~15% of seeding's time); young garbage is collected after each batch
    (`collect_young`), everything when the outermost pause ends. Nested pauses leave it to the outermost."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_young() -> None:
    """Collect the young generations (cheap) between batches of a paused bulk write."""
    gc.collect(1)


@dataclass
class NewStation:
    """A station to insert: the transient `Station` (its listings attached; an empty `sign_code` gets a new one),
    its WGS-84 point, and the site it opens (by key, created once per batch) unless `station.site_id` is set."""

    station: Station
    lon: float
    lat: float
    site_key: Hashable | None = None
    site_name: str | None = None


def insert(*, connection: Connection, items: Sequence[NewStation], actor: str, reason: str,
           progress: Callable[[int], None] | None = None, batch_size: int = 5000) -> list[int]:
    """Insert `items` in batches in the caller's transaction; returns the new station ids in order.

    A batch never splits a site: keep a site's stations next to each other."""
    with gc_paused():
        return _insert_batches(connection, items, actor=actor, reason=reason, progress=progress,
                               batch_size=batch_size)


def _insert_batches(connection: Connection, items: Sequence[NewStation], *, actor: str, reason: str,
                    progress: Callable[[int], None] | None, batch_size: int) -> list[int]:
    ids: list[int] = []
    start = 0
    while start < len(items):
        end = min(start + batch_size, len(items))
        while end < len(items) and items[end].site_key is not None and items[end].site_key == items[end - 1].site_key:
            end += 1
        ids.extend(_insert_batch(connection, items[start:end], actor=actor, reason=reason))
        if progress:
            progress(end - start)
        collect_young()
        start = end
    return ids


def _insert_batch(connection: Connection, batch: Sequence[NewStation], *, actor: str, reason: str) -> list[int]:
    now = datetime.now(UTC)
    _give_sign_codes(connection, [item.station for item in batch])
    sites = _open_sites(connection, batch)
    ids = bulk.reserve_ids(connection=connection, table="stations", n=len(batch))
    for station_id, item in zip(ids, batch, strict=True):
        station = item.station
        station.id, station.version, station.created_at, station.updated_at = station_id, 1, now, now
        if item.site_key is not None and station.site_id is None:
            station.site_id = sites[item.site_key][0]
    bulk.copy(
        connection=connection,
        sites=((site_id, name, address, adcode) for site_id, name, address, adcode in sites.values()),
        stations=(_station_row(item) for item in batch),
        listings=((i.station.id, _cell(ls.provider), _cell(ls.status), ls.poi_id, ls.last_synced_at)
                  for i in batch for ls in i.station.listings),
        changes=((i.station.id, ChangeAction.CREATE.value, actor, reason,
                  changes.snapshot_json(i.station)) for i in batch),
    )
    return ids


def _give_sign_codes(connection: Connection, stations: Sequence[Station]) -> None:
    """New sign codes for the stations without one, allocated per (adcode, kind) in one statement."""
    counts = Counter((s.adcode, _cell(s.kind)) for s in stations if not s.sign_code)
    if not counts:
        return
    serial = bulk.allocate_serials(connection=connection, counts=counts)
    for station in stations:
        if not station.sign_code:
            key = (station.adcode, _cell(station.kind))
            station.sign_code = format_sign_code(adcode=station.adcode, kind=Kind(key[1]), serial=serial[key])
            serial[key] += 1


def _open_sites(connection: Connection, batch: Sequence[NewStation]) -> dict[Hashable, tuple[int, str, str, str]]:
    """A site row (id, name, address, adcode) for each site key of the batch, named by its first station."""
    firsts: dict[Hashable, NewStation] = {}
    for item in batch:
        if item.site_key is not None and item.station.site_id is None:
            firsts.setdefault(item.site_key, item)
    site_ids = bulk.reserve_ids(connection=connection, table="sites", n=len(firsts)) if firsts else []
    return {key: (site_id, first.site_name or first.station.name, first.station.address, first.station.adcode)
            for site_id, (key, first) in zip(site_ids, firsts.items(), strict=True)}


_DEFAULTS = {c.name: c.default.arg if c.default.is_scalar else c.default.arg(None)
             for c in Station.__table__.columns if c.default is not None}
"""Column defaults SQLAlchemy would apply at INSERT (a transient Station does not carry them yet)."""


def _station_row(item: NewStation) -> tuple[Any, ...]:
    """One COPY row of the stations table (geometry as EWKT, which PostGIS parses on input)."""
    values = map(item.station.__dict__.get, bulk.STATION_COLUMNS)  # a transient's unset attribute reads None
    return (*(_cell(_DEFAULTS.get(c) if v is None else v) for c, v in zip(bulk.STATION_COLUMNS, values, strict=True)),
            f"SRID=4326;POINT({item.lon!r} {item.lat!r})")


def _cell(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
