"""A station's history from station_changes: who, when, why, and which fields changed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stations.db import registry_queries as queries
from stations.db.models import Station, StationChange
from stations.errors import NotFound
from stations.schemas.station_write import HistoryEntry

_NOISE = frozenset({"version", "updated_at", "listings", "quality_score", "confirmed_open_at", "hours_checked_on",
                    "location_checked_on", "amenities_checked_on", "access_checked_on", "hours_text",
                    "self_service_hours_text", "access_text"})
"""Not changes of their own: bookkeeping, listings (tracked apart), check dates and scores that follow from edits,
and the words that follow the fields they say."""


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The property names (and `geometry`) that differ between two snapshots."""
    if before is None or after is None:
        return []
    old, new = before.get("properties", {}), after.get("properties", {})
    fields = sorted(k for k in old.keys() | new.keys() if k not in _NOISE and old.get(k) != new.get(k))
    if before.get("geometry") != after.get("geometry"):
        fields.append("geometry")
    return fields


def _version(change: StationChange) -> int | None:
    snapshot = change.after or change.before
    return None if snapshot is None else int(snapshot["properties"]["version"])


def list_changes(*, session: Session, station_id: int, limit: int = 200) -> list[HistoryEntry]:
    """The station's changes and those of stations merged into it, newest first (deleted stations included);
    NotFound if it never existed."""
    if session.get(Station, station_id) is None:
        raise NotFound(f"no station with id {station_id}")
    rows = queries.changes_of(session=session, station_id=station_id, limit=limit)
    return [
        HistoryEntry(
            id=c.id, station_id=c.station_id, merged_into=c.merged_into, action=c.action, actor=c.actor,
            reason=c.reason, changed_at=c.changed_at,
            version=_version(c), changed_fields=changed_fields(c.before, c.after), before=c.before, after=c.after,
        )
        for c in rows
    ]
