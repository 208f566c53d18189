"""Per-fact check dates (hours, location, amenities, entry method), as OpenStreetMap's `check_date:*`: set by
staff edits that change a fact, by staff confirming facts unchanged, by inspections and by rider check-ins."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from stations.db import trust_queries as queries
from stations.db.models import Station
from stations.geo.shapes import lonlat

FIELDS = {
    "hours": ("hours", "self_service_hours"),
    "location": ("geom", "address", "adcode"),
    "amenities": ("amenities",),
    "access": ("access_methods",),
}
"""Which station fields each fact covers."""
LABELS = {"hours": "开放时间", "location": "位置", "amenities": "设施", "access": "进门方式"}


def _changed(station: Station, field: str) -> bool:
    """Whether a pending edit changes the field's value (a point set again where it was is no change)."""
    history = inspect(station).attrs[field].history
    if field != "geom" or not (history.added and history.deleted):
        return history.has_changes()
    return bool(history.deleted[0] is None or lonlat(history.added[0]) != lonlat(history.deleted[0]))


def stamp_edited(station: Station, *, today: date) -> list[str]:
    """Set today's check date on the facts a pending (unflushed) edit changes; the facts stamped."""
    changed = [fact for fact, fields in FIELDS.items() if any(_changed(station, f) for f in fields)]
    for fact in changed:
        setattr(station, f"{fact}_checked_on", today)
    return changed


def confirm(*, session: Session, station_id: int, facts: Iterable[str], today: date) -> None:
    """Facts checked and found right, without a registry edit (no version bump, no change record)."""
    values = {f"{fact}_checked_on": today for fact in facts if fact in FIELDS}
    if values:
        queries.stamp(session=session, station_id=station_id, values=values)
