"""A feed consumer as a map provider would write one, and the registry it should end up equal to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from stations.db.models import Station
from stations.services.registry.changes import snapshot


def apply(state: dict[int, dict[str, Any]], entries: list[dict[str, Any]]) -> None:
    """Apply feed entries in order: a tombstone removes the station, anything else replaces it."""
    for entry in entries:
        if entry["deleted"]:
            state.pop(entry["station_id"], None)
        else:
            state[entry["station_id"]] = entry["feature"]


def registry(session: Session) -> dict[int, dict[str, Any]]:
    """Every live station's public Feature, as the feed snapshots it."""
    stations = session.scalars(
        select(Station).where(Station.deleted_at.is_(None)).options(selectinload(Station.listings))
    )
    return {station.id: snapshot(station) for station in stations}
