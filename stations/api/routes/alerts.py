"""Weather alerts (issue 24): the map's current alerts, staff issuing and cancelling them, a weather provider's
signed CAP 1.2 push, stations' alert modes, and the list the staff dashboard shows."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status

from stations.api.deps import CurrentStaff, ReadSessionDep, SessionDep, SettingsDep
from stations.errors import TooLarge
from stations.geo.crs import Crs
from stations.schemas.alerts import (
    AlertCreate,
    AlertModePublic,
    AlertModeSet,
    AlertModesPublic,
    AlertPublic,
    AlertsPublic,
    AlertStationsPublic,
)
from stations.services.alerts import cap, issuing, modes
from stations.services.staff import auth
from stations.weather import AlertType

router = APIRouter(tags=["alerts"])
AlertId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the alert's id")]
StationId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the station's stable id")]
Lang = Annotated[Literal["zh", "en"], Query(description="language of titles and guidance")]


async def cap_body(request: Request) -> bytes:
    """The pushed document, read no further than `cap.MAX_BYTES` (413 past it)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap.MAX_BYTES:
            raise TooLarge(f"CAP document is over {cap.MAX_BYTES:,} bytes")
    return bytes(body)


@router.get("/api/v1/alerts", response_model=AlertsPublic)
def current_alerts(
    request: Request, session: ReadSessionDep, response: Response, lang: Lang = "zh",
    lon: Annotated[float | None, Query(description="only alerts over the county holding this point")] = None,
    lat: Annotated[float | None, Query(description="with lon")] = None,
    crs: Annotated[Crs, Query(description="coordinate system of lon/lat")] = Crs.WGS84,
) -> AlertsPublic:
    """Alerts not cancelled and not over yet (`active`: in force now), with the labour guidance for each level;
    with lon/lat, only those over that point's county (the map's banner)."""
    now = request.app.state.clock()
    alerts = issuing.current(session=session, now=now)
    if lon is not None or lat is not None:
        alerts = issuing.over_point(alerts, lon=lon, lat=lat, crs=crs)
    data = [issuing.public(alert, now=now, lang=lang) for alert in alerts]
    response.headers["Cache-Control"] = "public, max-age=60"
    return AlertsPublic(data=data, count=len(data))


@router.post("/api/v1/alerts", response_model=AlertPublic, status_code=status.HTTP_201_CREATED)
def issue_alert(request: Request, data: AlertCreate, user: CurrentStaff, session: SessionDep) -> AlertPublic:
    """Issue an alert for areas inside the caller's region (403 outside it)."""
    alert = issuing.issue(session=session, data=data, actor=user.username, scope=auth.write_scope(user))
    return issuing.public(alert, now=request.app.state.clock())


@router.post("/api/v1/alerts/{alert_id}/cancel", response_model=AlertPublic)
def cancel_alert(request: Request, alert_id: AlertId, user: CurrentStaff, session: SessionDep) -> AlertPublic:
    """End an alert now (its areas must lie inside the caller's region)."""
    now = request.app.state.clock()
    alert = issuing.cancel(session=session, alert_id=alert_id, scope=auth.write_scope(user), now=now)
    return issuing.public(alert, now=now)


@router.post("/api/v1/alerts/cap", response_model=AlertPublic, status_code=status.HTTP_201_CREATED,
             openapi_extra={"requestBody": {"required": True, "content": {"application/cap+xml": {
                 "schema": {"type": "string"}}, "application/xml": {"schema": {"type": "string"}}}}})
def push_cap(
    request: Request, session: SessionDep, settings: SettingsDep, body: Annotated[bytes, Depends(cap_body)],
    signature: Annotated[str | None, Header(alias="X-Stations-Signature")] = None,
    timestamp: Annotated[str | None, Header(alias="X-Stations-Timestamp")] = None,
) -> AlertPublic:
    """A weather provider's CAP 1.2 alert, signed as our webhooks sign (HMAC-SHA256 of '{timestamp}.{body}');
    a forged, stale or replayed push is refused (401, 409)."""
    now = request.app.state.clock()
    alert = issuing.receive_cap(session=session, body=body, signature=signature, timestamp=timestamp, now=now,
                                secret=settings.alert_push_secret,
                                tolerance_seconds=settings.alert_push_tolerance_seconds)
    return issuing.public(alert, now=now)


@router.get("/api/v1/alerts/stations", response_model=list[AlertStationsPublic])
def stations_in_alerts(request: Request, user: CurrentStaff, session: SessionDep) -> list[AlertStationsPublic]:
    """For each alert not over yet: the caller's region's stations in its area, and which declared an alert mode."""
    return modes.in_alert_areas(session=session, region=user.region_prefix, now=request.app.state.clock())


@router.get("/api/v1/stations/{station_id}/alert-modes", response_model=AlertModesPublic)
def station_modes(station_id: StationId, session: ReadSessionDep) -> AlertModesPublic:
    """A station's declared alert modes."""
    data = [modes.to_public(mode) for mode in modes.modes_of(session=session, station_id=station_id)]
    return AlertModesPublic(data=data, count=len(data))


@router.put("/api/v1/stations/{station_id}/alert-modes", response_model=AlertModePublic)
def declare_mode(station_id: StationId, data: AlertModeSet, user: CurrentStaff, session: SessionDep) -> AlertModePublic:
    """Declare (or replace) what a station does during an alert of one type: hours then and what it offers."""
    mode = modes.declare(session=session, station_id=station_id, data=data, actor=user.username,
                         scope=auth.write_scope(user))
    return modes.to_public(mode)


@router.delete("/api/v1/stations/{station_id}/alert-modes/{alert_type}", status_code=status.HTTP_204_NO_CONTENT)
def withdraw_mode(station_id: StationId, alert_type: AlertType, user: CurrentStaff, session: SessionDep) -> Response:
    """Withdraw a station's alert mode for one type."""
    modes.withdraw(session=session, station_id=station_id, alert_type=alert_type, scope=auth.write_scope(user))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
