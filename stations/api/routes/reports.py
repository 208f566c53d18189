"""Worker reports: POST /api/v1/stations/{id}/reports (rate-limited) and GET /api/v1/reports/{receipt}."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from stations.api.clients import client_address
from stations.api.deps import SessionDep, SettingsDep, TapKeyHeader
from stations.api.ratelimit import RateLimiter
from stations.hours import SHANGHAI
from stations.schemas.report import ReportCreate, ReportPublic
from stations.services.feedback import reports as service
from stations.settings import Settings

router = APIRouter(prefix="/api/v1", tags=["reports"])


def report_limiter(request: Request) -> RateLimiter:
    """The app's report limiter (shared by every app process: see stations.api.ratelimit)."""
    limiter: RateLimiter = request.app.state.report_limiter
    return limiter


def client_key(request: Request, settings: Settings) -> str:
    """Who is reporting, for rate limiting only (stored as a salted SHA-256 digest, never as an address, and only
    until the device's bucket is full again: an hour after its last report at most); X-Forwarded-For counts only
    from STATIONS_TRUSTED_PROXIES, so rotating it does not reset the limit."""
    return client_address(request, settings.trusted_proxies)


@router.post("/stations/{station_id}/reports", response_model=ReportPublic, status_code=status.HTTP_201_CREATED)
def create_report(
    station_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    report: ReportCreate,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    limiter: Annotated[RateLimiter, Depends(report_limiter)],
    response: Response,
    tap_key: TapKeyHeader = None,
) -> ReportPublic:
    """Store a problem report or an "I was here"; the reply is the receipt. A resend with the same Idempotency-Key
    (the map's offline queue) stores nothing and gets the first receipt again, marked `Idempotent-Replayed: true`."""
    if (sent := service.already_sent(session=session, station_id=station_id, report=report, tap_key=tap_key)):
        response.headers["Idempotent-Replayed"] = "true"
        return service.to_public(sent)
    per_hour = settings.reports_per_hour
    limiter.hit(client_key(request, settings), capacity=per_hour, per_second=per_hour / 3600,
                refused="too many reports from this device")
    row = service.create(session=session, station_id=station_id, report=report, today=datetime.now(SHANGHAI).date(),
                         tap_key=tap_key)
    return service.to_public(row)


@router.get("/reports/{public_id}", response_model=ReportPublic)
def get_report(public_id: Annotated[str, Path(min_length=4, max_length=16)], session: SessionDep) -> ReportPublic:
    """A report's receipt and current status."""
    return service.to_public(service.get(session=session, public_id=public_id))
