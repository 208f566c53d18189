"""Recording station changes (who, when, why, before/after) in the same transaction as the write."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stations.db.models import ChangeAction, Station, StationChange
from stations.services.registry.public import to_public


def snapshot(station: Station) -> dict[str, Any]:
    """The station's public Feature as plain JSON, as stored in history and sent in feeds."""
    return to_public(station).model_dump(mode="json")



def record(
    *,
    session: Session,
    station: Station,
    action: ChangeAction,
    actor: str,
    reason: str | None = None,
    before: dict[str, Any] | None = None,
) -> StationChange:
    """Append one change row for `station` (after a flush, so ids and versions are final)."""
    after = None if action is ChangeAction.DELETE else snapshot(station)
    change = StationChange(
        station_id=station.id, action=action, actor=actor, reason=reason, before=before, after=after
    )
    session.add(change)
    session.flush()
    return change
