"""Staff pages to register and edit a station with a map pin, see its history and restore a version."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from stations import divisions
from stations.api.deps import PageLogin, SessionDep, SettingsDep
from stations.api.staff_web import (
    CRS_CHOICES,
    KIND_CHOICES,
    STATUS_CHOICES,
    amenity_choices,
    render,
    station_values,
    validation_message,
)
from stations.db.models import StaffToken, Station
from stations.errors import StaleVersion, StationsError
from stations.geo.shapes import lonlat
from stations.schemas.station import StationCreate
from stations.schemas.station_write import StationUpdate
from stations.schemas.types import INT4_MAX
from stations.services.registry import history
from stations.services.registry import stations as service
from stations.services.staff import auth

router = APIRouter(prefix="/staff/stations", tags=["staff pages"], include_in_schema=False)
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]
BLANK = {"kind": "outdoor_station", "crs": "wgs84", "hours": "Mo-Su 08:00-20:00", "amenities": [],
         "status": "active", "lon": "", "lat": "", "name": "", "address": "", "adcode": ""}


def _form_values(station: Station) -> dict[str, Any]:
    values = {c: getattr(station, c) for c in ("kind", "name", "address", "adcode", "hours", "self_service_hours",
                                                 "amenities", "phone", "manager_name", "host_unit", "status",
                                                 "sign_installed", "version")}
    if station.source_lon is not None:
        return values | {"crs": str(station.source_crs), "lon": station.source_lon, "lat": station.source_lat}
    lon, lat = lonlat(station.geom)
    return values | {"crs": "wgs84", "lon": round(lon, 7), "lat": round(lat, 7)}


def _form(request: Request, token: StaffToken, settings: Any, values: dict[str, Any], *,
          station: Station | None = None, status_code: int = 200, **extra: Any) -> HTMLResponse:
    center = f"{values.get('lon') or 103.8343},{values.get('lat') or 36.0611}"
    # A new station's pin map opens on the clerk's region (its boundary's box), not on Lanzhou.
    box = None if values.get("lon") else divisions.bounds(token.user.region_prefix or "")
    return render(request, "staff/station_form.html", token, status_code=status_code, v=values, station=station,
                  kinds=KIND_CHOICES, statuses=STATUS_CHOICES, crses=CRS_CHOICES, amenities=amenity_choices(),
                  tile_url=settings.staff_tile_url, center=center,
                  bounds=",".join(f"{v:.5f}" for v in box) if box else "", **extra)


def _problem(exc: StationsError | ValidationError) -> tuple[str, int]:
    """The message and status code to show on the form for a rejected save."""
    if isinstance(exc, StationsError):
        return exc.message, exc.status_code
    return validation_message(exc), 422


def _version(posted: str | None) -> int:
    """The version the form was loaded with; anything else (a tampered field) matches none, so a 412."""
    text = (posted or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else 0


async def _posted(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {**{k: v for k, v in form.items() if isinstance(v, str)}, "amenities": form.getlist("amenities")}


@router.get("/new", response_class=HTMLResponse)
def new_form(request: Request, token: PageLogin, settings: SettingsDep) -> Response:
    """An empty registration form with the map pin."""
    auth.write_scope(token.user)
    return _form(request, token, settings, BLANK | {"adcode": token.user.region_prefix})


@router.post("/new", response_class=HTMLResponse)
async def create(request: Request, token: PageLogin, session: SessionDep, settings: SettingsDep) -> Response:
    """Register a station inside the user's region; the form comes back with the message on a problem."""
    posted = await _posted(request)
    auth.check_csrf(token=token, given=posted.get("csrf_token"))
    try:
        with session.begin_nested():
            values = station_values(posted)
            service.check_placement(adcode=values.get("adcode") or "", address=values.get("address") or "",
                                    scope=auth.write_scope(token.user))  # before the schema: the clearer message
            station = service.create(session=session, data=StationCreate(**values), actor=token.user.username)
    except (StationsError, ValidationError) as exc:
        message, code = _problem(exc)
        return _form(request, token, settings, BLANK | posted, status_code=code, error=message)
    return RedirectResponse(f"/staff/stations/{station.id}?saved=1", status_code=303)


@router.get("/{station_id}", response_class=HTMLResponse)
def edit_form(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
              settings: SettingsDep, saved: int = 0) -> Response:
    """The edit form of a station, with its version for the conflict check."""
    station = service.get(session=session, station_id=station_id)
    notice = f"已保存（版本 {station.version}）" if saved else None
    return _form(request, token, settings, _form_values(station), station=station, notice=notice)


@router.post("/{station_id}", response_class=HTMLResponse)
async def update(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                 settings: SettingsDep) -> Response:
    """Save an edit if nobody changed the station meanwhile; otherwise show the current version."""
    posted = await _posted(request)
    auth.check_csrf(token=token, given=posted.get("csrf_token"))
    try:
        with session.begin_nested():
            values = station_values(posted)
            data = StationUpdate(**values, reason=posted.get("reason") or None)
            station = service.update(session=session, station_id=station_id, data=data, actor=token.user.username,
                                     expected_version=_version(posted.get("version")),
                                     scope=auth.write_scope(token.user))
    except StaleVersion as exc:
        current = service.get(session=session, station_id=station_id)
        conflict = {"yours": posted.get("version"), "current_version": exc.extra["current_version"]}
        return _form(request, token, settings, _form_values(current), station=current, status_code=412,
                     conflict=conflict)
    except (StationsError, ValidationError) as exc:
        message, code = _problem(exc)
        station = service.get(session=session, station_id=station_id)
        return _form(request, token, settings, _form_values(station) | posted, station=station, status_code=code,
                     error=message)
    return RedirectResponse(f"/staff/stations/{station.id}?saved=1", status_code=303)


@router.get("/{station_id}/history", response_class=HTMLResponse)
def history_page(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                 restored: int = 0) -> Response:
    """Every change of the station, with a restore button on former versions."""
    entries = history.list_changes(session=session, station_id=station_id)  # NotFound if it never existed
    station = session.get_one(Station, station_id)
    can_write = auth.may_write(token.user, station.adcode)
    notice = f"已恢复，当前版本 {station.version}" if restored else None
    return render(request, "staff/history.html", token, station=station, entries=entries, can_write=can_write,
                  notice=notice)


@router.post("/{station_id}/restore")
def restore(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
            version: Annotated[int, Form(ge=1, le=INT4_MAX)], csrf_token: Annotated[str, Form()] = "") -> Response:
    """Restore a former version (recorded as a restore change)."""
    auth.check_csrf(token=token, given=csrf_token)
    service.restore(session=session, station_id=station_id, version=version, actor=token.user.username,
                    scope=auth.write_scope(token.user), reason=f"恢复到版本 {version}")
    return RedirectResponse(f"/staff/stations/{station_id}/history?restored=1", status_code=303)
