"""The bulk writer's rows, built from plain values (picklable, so a builder process can make them): each station's
COPY row, its listings' rows and its create change, as COPY text bytes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from stations.db import bulk
from stations.db.models import ChangeAction, ProviderListing, Station
from stations.services.registry import public


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
    """COPY text of the batch's stations, listings and create changes (in this process or a builder's), from the
    drafts' plain values: every column a draft leaves out is None, as on a transient `Station` (building one per
    station and reading it back through the ORM's attributes was a third of a builder's time)."""
    stations, listings, changed = bulk.Rows(), bulk.Rows(), bulk.Rows()
    create = ChangeAction.CREATE.value
    stamps = {"version": 1, "created_at": batch.now, "updated_at": batch.now}
    for item in batch.drafts:
        values = _NONE_COLUMNS | item.values | stamps
        listed = [_NONE_LISTING_COLUMNS | ls for ls in item.listings]
        stations.add(_station_row(values, item))
        for ls in listed:
            listings.add((values["id"], _cell(ls["provider"]), _cell(ls["status"]), ls["poi_id"], ls["last_synced_at"]))
        snapshot = public.row_to_json(values | {"lon": item.lon, "lat": item.lat}, listed).decode()
        changed.add((values["id"], create, batch.actor, batch.reason, snapshot))
    collect_young()
    return stations.done(), listings.done(), changed.done()


_NONE_COLUMNS = dict.fromkeys(c.key for c in Station.__table__.columns if c.key != "geom")
_NONE_LISTING_COLUMNS = dict.fromkeys(c.key for c in ProviderListing.__table__.columns)
_DEFAULTS = {c.name: c.default.arg if c.default.is_scalar else c.default.arg(None)
             for c in Station.__table__.columns if c.default is not None}
"""Column defaults SQLAlchemy would apply at INSERT (a draft does not carry them)."""


_ROW = tuple((column, _DEFAULTS.get(column)) for column in bulk.STATION_COLUMNS)


def _station_row(values: dict[str, Any], item: Draft) -> tuple[Any, ...]:
    """One COPY row of the stations table (geometry as EWKT, which PostGIS parses on input)."""
    return (*(_cell(default if (value := values[column]) is None else value) for column, default in _ROW),
            f"SRID=4326;POINT({item.lon!r} {item.lat!r})")


_AS_IS = frozenset({str, int, float, bool, type(None), datetime, date, Decimal})


def _cell(value: Any) -> Any:
    if type(value) in _AS_IS:  # most cells: one set lookup instead of two isinstance calls
        return value
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
    that would trigger it over and over: ~15% of seeding's time); `build` collects the young after each batch it
    builds; the writer's own batches are freed by reference counts (no cyclic garbage was left after seeding 200,000,
    and collecting after each batch cost ~4% of the seed). Nested pauses leave it to the outermost."""
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
