"""Inserting an import's checked rows: built as single registrations are, written by the registry's bulk writer."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from stations.db import import_queries
from stations.db.models import Station
from stations.geo.crs import to_wgs84
from stations.reference import ListingStatus, Provider
from stations.schemas.station import StationCreate
from stations.services.registry import bulk, stations


def one_apply_at_a_time(session: Session) -> None:
    """Wait until no other import is being applied, then hold that turn until this transaction ends."""
    import_queries.lock_apply(session=session)


def insert(
    *, session: Session, rows: Sequence[StationCreate], actor: str, reason: str,
    progress: Callable[[int], None] | None = None,
) -> list[int]:
    """COPY stations, their listings and a create change each (same transaction); returns the new ids."""
    items = [bulk.NewStation(_draft(d), *to_wgs84(d.lon, d.lat, d.crs)) for d in rows]
    return bulk.insert(connection=session.connection(), items=items, actor=actor, reason=reason, progress=progress)


def _draft(data: StationCreate) -> Station:
    """The station `stations.build` makes, drafted for the bulk writer (without the ORM's attribute events)."""
    return bulk.draft(stations.columns(data, sign_code=data.sign_code or ""),
                      [bulk.draft_listing({"provider": p, "status": ListingStatus.NOT_LISTED}) for p in Provider])
