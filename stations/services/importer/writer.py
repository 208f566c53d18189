"""Inserting an import's checked rows: built as single registrations are, written by the registry's bulk writer."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from sqlalchemy.orm import Session

from stations.db import import_queries
from stations.geo.crs import to_wgs84
from stations.reference import ListingStatus, Provider
from stations.schemas.station import StationCreate
from stations.services.registry import bulk, stations

BATCH_SIZE = 5000


def one_apply_at_a_time(session: Session) -> None:
    """Wait until no other import is being applied, then hold that turn until this transaction ends."""
    import_queries.lock_apply(session=session)


def insert(
    *, session: Session, rows: Sequence[StationCreate], actor: str, reason: str,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """COPY stations, their listings and a create change each (same transaction); returns the new ids. Each batch
    is drafted in a thread while the one before is written."""
    batches = bulk.prefetched(_drafted(rows))
    return bulk.write(connection=session.connection(), batches=batches, actor=actor, reason=reason,
                      progress=progress, builders=bulk.builders_for(len(rows)))


def _drafted(rows: Sequence[StationCreate]) -> Iterator[list[bulk.NewStation]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield [bulk.NewStation(_draft(d)) for d in rows[start:start + BATCH_SIZE]]


def _draft(data: StationCreate) -> bulk.Draft:
    """The station `stations.build` makes, as the bulk writer takes it (the point made from lon, lat again)."""
    values = stations.columns(data, sign_code=data.sign_code or "")
    del values["geom"]
    return bulk.Draft(values, *to_wgs84(data.lon, data.lat, data.crs),
                      [{"provider": p, "status": ListingStatus.NOT_LISTED} for p in Provider])
