"""Station writes for sync tests, mimicking the registry service's update/delete/restore.

services/stations.py has only `create` so far (update/delete are issue 5's); these helpers change the
row and record the change exactly as the service will: same transaction, public snapshot after.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from stations.db.models import ChangeAction, Station
from stations.services import changes
from stations.services import stations as registry
from tests.factories import station_create


def create(session: Session, **overrides: Any) -> Station:
    """Create a station through the real service."""
    return registry.create(session=session, data=station_create(**overrides), actor="test")


def update(session: Session, station: Station, **values: Any) -> Station:
    """Change fields, bump the version, record an update."""
    before = changes.snapshot(station)
    for key, value in values.items():
        setattr(station, key, value)
    station.updated_at = datetime.now(UTC)
    session.flush()
    changes.record(session=session, station=station, action=ChangeAction.UPDATE, actor="test", before=before)
    return station


def delete(session: Session, station: Station, *, reason: str) -> Station:
    """Soft-delete with a reason and record a delete (its tombstone)."""
    before = changes.snapshot(station)
    station.deleted_at = datetime.now(UTC)
    station.deleted_reason = reason
    session.flush()
    changes.record(
        session=session, station=station, action=ChangeAction.DELETE, actor="test", reason=reason, before=before
    )
    return station


def restore(session: Session, station: Station) -> Station:
    """Undo a soft delete and record a restore."""
    station.deleted_at = None
    station.deleted_reason = None
    station.updated_at = datetime.now(UTC)
    session.flush()
    changes.record(session=session, station=station, action=ChangeAction.RESTORE, actor="test")
    return station
