"""Loading demo data: synthetic stations through the registry's bulk writer, and the small hand-made sample
registered one by one as any station is."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from stations.db.models import ChangeAction, Site, Station
from stations.errors import InvalidInput, StationsError
from stations.geo.crs import Crs
from stations.reference import ListingStatus, Provider
from stations.schemas.station import StationCreate
from stations.services.registry import bulk, changes
from stations.services.registry import stations as station_service
from stations.services.registry.demo import DemoStation, generate

BATCH_SIZE = 20_000
SAMPLE_ACTOR = "demo-sample"
SAMPLE_REASON = "示例数据 (data/sample_stations.csv)"

SEED_ACTOR = "demo-seed"
SEED_REASON = "synthetic demo data"


def seed_demo(
    *, connection: Connection, count: int, seed: int, progress: Callable[[int], None] | None = None
) -> int:
    """Insert `count` synthetic stations (with sites and listings) in the caller's transaction through the
    registry's bulk writer; return count. `progress` is called after each batch with the stations it added."""
    batches = bulk.prefetched([_new_station(s) for s in batch] for batch in
                              _batches(generate(count=count, seed=seed), BATCH_SIZE))
    return len(bulk.write(connection=connection, batches=batches, actor=SEED_ACTOR, reason=SEED_REASON,
                          progress=progress, builders=bulk.builders_for(count)))


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


def _new_station(s: DemoStation) -> bulk.NewStation:
    """A demo station as the bulk writer takes it: its column values and listings, opening its site."""
    values = dict(kind=s.kind, name=s.name, address=s.address, adcode=s.adcode, source_crs=Crs.WGS84, hours=s.hours,
                  self_service_hours=s.self_service_hours, access_methods=list(s.access_methods),
                  amenities=list(s.amenities), capacity=s.capacity, area_m2=Decimal(str(s.area_m2)), phone=s.phone,
                  manager_name=s.manager_name, manager_phone=s.manager_phone, host_unit=s.host_unit,
                  managing_union=s.managing_union, photos=[], status=s.status, status_reason=s.status_reason,
                  star_rating=s.star_rating, demonstration_level=s.demonstration_level, verified_at=s.verified_at,
                  sign_code="", sign_installed=s.sign_installed, sign_installed_at=s.sign_installed_at,
                  sign_standard=s.sign_standard, sign_condition=s.sign_condition, is_synthetic=True)
    listings = [dict(provider=ls.provider, status=ls.status, poi_id=ls.poi_id, last_synced_at=ls.last_synced_at)
                for ls in s.listings]
    return bulk.NewStation(bulk.Draft(values, s.lon, s.lat, listings), site_key=s.site_key, site_name=s.site_name)


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
