"""The bulk writer's rows, built from plain values (picklable, so a builder process can make them): each station
drafted as a transient `Station`, its COPY row, its listings' rows and its create change, as COPY text bytes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import configure_mappers, instrumentation

from stations.db import bulk
from stations.db.models import ChangeAction, ProviderListing, Station
from stations.geo.shapes import point_element
from stations.services.registry import changes


@dataclass
class Draft:
    """What one station's rows are built from: its column values (`stations.columns` without `geom`, which is made
    from `lon`, `lat`; `id`, `version` and the timestamps are set by the writer), its listings' values and its
    WGS-84 point. Plain values only: it travels to a builder process."""

    values: dict[str, Any]
    lon: float
    lat: float
    listings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Batch:
    """A batch ready to build: ids, sign codes and site ids already set in each draft's values."""

    drafts: list[Draft]
    now: datetime
    actor: str
    reason: str


def build(batch: Batch) -> tuple[bytes, bytes, bytes]:
    """COPY text of the batch's stations, listings and create changes (in this process or a builder's)."""
    stations, listings, changed = bulk.Rows(), bulk.Rows(), bulk.Rows()
    create = ChangeAction.CREATE.value
    for item in batch.drafts:
        station = draft(item.values | {"geom": point_element(item.lon, item.lat), "version": 1,
                                       "created_at": batch.now, "updated_at": batch.now},
                        [draft_listing(values) for values in item.listings])
        stations.add(_station_row(station, item))
        for ls in station.listings:
            listings.add((station.id, _cell(ls.provider), _cell(ls.status), ls.poi_id, ls.last_synced_at))
        changed.add((station.id, create, batch.actor, batch.reason, changes.snapshot_json(station)))
    collect_young()
    return stations.done(), listings.done(), changed.done()


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
_DEFAULTS = {c.name: c.default.arg if c.default.is_scalar else c.default.arg(None)
             for c in Station.__table__.columns if c.default is not None}
"""Column defaults SQLAlchemy would apply at INSERT (a transient Station does not carry them yet)."""


def _station_row(station: Station, item: Draft) -> tuple[Any, ...]:
    """One COPY row of the stations table (geometry as EWKT, which PostGIS parses on input)."""
    values = map(station.__dict__.get, bulk.STATION_COLUMNS)  # a transient's unset attribute reads None
    return (*(_cell(_DEFAULTS.get(c) if v is None else v) for c, v in zip(bulk.STATION_COLUMNS, values, strict=True)),
            f"SRID=4326;POINT({item.lon!r} {item.lat!r})")


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return _array_text(value)
    return value.value if isinstance(value, Enum) else value


def _array_text(items: list[Any]) -> str:
    """A text array as PostgreSQL's literal, every element quoted: what COPY reads into the same array as psycopg's
    list dumper's output, which cost ~4% of a builder's time."""
    quoted = (str(_cell(item)).replace("\\", "\\\\").replace('"', '\\"') for item in items)
    return "{" + ",".join(f'"{text}"' for text in quoted) + "}"


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


def builder_started() -> None:
    """A builder process's start: its collector paused for good (`build` collects the young after each batch)."""
    gc.disable()
