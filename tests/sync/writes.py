"""Station writes for sync tests, through the registry service (one place to change if it changes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from stations.db.models import Station
from stations.schemas.station_write import StationUpdate
from stations.services.registry import stations as registry
from tests.factories import station_create


def create(session: Session, **overrides: Any) -> Station:
    """Create a station."""
    return registry.create(session=session, data=station_create(**overrides), actor="test")


def update(session: Session, station: Station, **values: Any) -> Station:
    """Change fields at the station's current version."""
    return registry.update(
        session=session, station_id=station.id, data=StationUpdate(**values), expected_version=station.version,
        actor="test",
    )


def delete(session: Session, station: Station, *, reason: str) -> Station:
    """Soft-delete with a reason (the feed's tombstone)."""
    return registry.delete(session=session, station_id=station.id, reason=reason, actor="test")


def restore(session: Session, station: Station) -> Station:
    """Bring a deleted station back as it was just before its deletion."""
    return registry.restore(session=session, station_id=station.id, version=station.version - 1, actor="test")
