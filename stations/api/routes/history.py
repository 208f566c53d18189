"""GET /api/v1/stations/{id}/history: every recorded change, for staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from stations.api.deps import CurrentStaff, SessionDep
from stations.schemas.station_write import HistoryPublic
from stations.services.registry import history

router = APIRouter(prefix="/api/v1/stations", tags=["staff"])


@router.get("/{station_id}/history", response_model=HistoryPublic)
def station_history(
    station_id: Annotated[int, Path(ge=1, le=2**63 - 1)], _: CurrentStaff, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> HistoryPublic:
    """Who changed what, when and why (newest first), with before/after snapshots."""
    entries = history.list_changes(session=session, station_id=station_id, limit=limit)
    return HistoryPublic(data=entries, count=len(entries))
