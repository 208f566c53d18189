"""Inserting checked rows in batches: sign codes per region and kind, one create change per station."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from stations.db.models import ChangeAction, ProviderListing, Station, StationChange
from stations.geo.crs import Crs, to_wgs84
from stations.geo.shapes import point_element
from stations.reference import Kind, Provider
from stations.schemas.station import StationCreate
from stations.services import changes, signcodes

BATCH_SIZE = 2000


def _codes(session: Session, batch: Sequence[StationCreate]) -> dict[tuple[str, Kind], Iterator[str]]:
    """New sign codes for the rows without one, allocated per (adcode, kind) in a fixed lock order."""
    need = Counter((d.adcode, d.kind) for d in batch if not d.sign_code)
    return {
        key: iter(signcodes.allocate(session=session, adcode=key[0], kind=key[1], count=n))
        for key, n in sorted(need.items())
    }


def _station(data: StationCreate, sign_code: str, now: datetime) -> Station:
    """The row `stations.services.stations.create` would build for already-checked data."""
    values = data.model_dump(exclude={"lon", "lat", "crs", "sign_code"})
    return Station(
        **values,
        geom=point_element(*to_wgs84(data.lon, data.lat, data.crs)),
        source_crs=data.crs,
        source_lon=None if data.crs is Crs.WGS84 else data.lon,
        source_lat=None if data.crs is Crs.WGS84 else data.lat,
        sign_code=sign_code,
        listings=[ProviderListing(provider=p) for p in Provider],
        version=1, created_at=now, updated_at=now,
    )


def insert(
    *, session: Session, rows: Sequence[StationCreate], actor: str, reason: str,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """Insert stations in batches, recording a create change for each; returns the new ids."""
    ids: list[int] = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        now = datetime.now(UTC)
        pools = _codes(session, batch)
        stations = [_station(d, d.sign_code or next(pools[(d.adcode, d.kind)]), now) for d in batch]
        session.add_all(stations)
        session.flush()
        records = [
            StationChange(station_id=s.id, action=ChangeAction.CREATE, actor=actor, reason=reason,
                          before=None, after=changes.snapshot(s))
            for s in stations
        ]
        session.add_all(records)
        session.flush()
        ids.extend(s.id for s in stations)
        for obj in (*stations, *records):
            session.expunge(obj)
        if progress:
            progress(len(batch))
    return ids
