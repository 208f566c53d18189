"""Rider check-ins (POST /api/v1/stations/{id}/checkins, rate-limited like reports) and a station's quality score."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from stations.api.deps import SessionDep, SettingsDep, TapKeyHeader
from stations.api.ratelimit import RateLimiter
from stations.api.routes.reports import client_key, report_limiter
from stations.errors import NotFound
from stations.schemas.trust import CheckinCreate, CheckinPublic, QualityPart, QualityPublic
from stations.services.trust import checkins, quality

router = APIRouter(prefix="/api/v1/stations", tags=["check-ins"])
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.post("/{station_id}/checkins", response_model=CheckinPublic, status_code=status.HTTP_201_CREATED)
def create_checkin(
    station_id: StationId, checkin: CheckinCreate, request: Request, session: SessionDep, settings: SettingsDep,
    limiter: Annotated[RateLimiter, Depends(report_limiter)], response: Response, tap_key: TapKeyHeader = None,
) -> CheckinPublic:
    """One tap from the details sheet: open, closed, could not get in, a facility broken. Nothing identifying the
    rider is stored; one device counts once per station an hour, and `STATIONS_CHECKINS_PER_HOUR` in all. A resend
    with the same Idempotency-Key (the map's offline queue) stores nothing and gets the first answer again."""
    if (sent := checkins.already_sent(session=session, station_id=station_id, checkin=checkin, tap_key=tap_key)):
        response.headers["Idempotent-Replayed"] = "true"
        return sent
    device = client_key(request, settings)
    per_hour = settings.checkins_per_hour
    limiter.hit(f"checkin:{device}", capacity=per_hour, per_second=per_hour / 3600,
                refused="too many check-ins from this device")
    limiter.hit(f"checkin:{device}:{station_id}", capacity=1, per_second=1 / 3600,
                refused="this device already checked in here within the hour")
    return checkins.record(session=session, station_id=station_id, checkin=checkin, now=request.app.state.clock(),
                           calendar=request.app.state.calendar.current, tap_key=tap_key)


@router.get("/{station_id}/quality", response_model=QualityPublic)
def station_quality(station_id: StationId, request: Request, session: SessionDep) -> QualityPublic:
    """The station's quality score now, term by term, with what would raise each (docs/quality.md)."""
    found = quality.explain(session=session, station_id=station_id, now=request.app.state.clock())
    if found is None:
        raise NotFound(f"no station with id {station_id}")
    score, parts = found
    return QualityPublic(station_id=station_id, score=score,
                         parts=[QualityPart.model_validate(vars(p)) for p in parts])
