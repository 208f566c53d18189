"""Staff page of a station's alert modes (issue 24): what it does during a heat, cold-wave or storm alert."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from stations.api.deps import PageLogin, SessionDep
from stations.api.staff_web import render, validation_message
from stations.db.models import StaffToken
from stations.errors import InvalidInput, StationsError
from stations.schemas.alerts import AlertModeSet
from stations.services.alerts import modes
from stations.services.registry import stations as registry
from stations.services.staff import auth
from stations.weather import LEVEL_ZH, OFFERS, TYPE_ZH, AlertType, Level

router = APIRouter(prefix="/staff/stations", tags=["staff pages"], include_in_schema=False)
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _page(request: Request, token: StaffToken, session: Any, station_id: int, *, status_code: int = 200,
          **extra: Any) -> HTMLResponse:
    station = registry.get(session=session, station_id=station_id)
    declared = [modes.to_public(mode) for mode in modes.modes_of(session=session, station_id=station_id)]
    return render(request, "staff/alert_modes.html", token, status_code=status_code, station=station,
                  declared=declared, types=list(TYPE_ZH.items()), levels=list(LEVEL_ZH.items()),
                  offers=sorted(OFFERS), type_names=TYPE_ZH, level_names=LEVEL_ZH, **extra)


@router.get("/{station_id}/alert-modes", response_class=HTMLResponse)
def alert_modes_page(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                     saved: int = 0) -> Response:
    """A station's declared alert modes and the form to declare or withdraw one."""
    return _page(request, token, session, station_id, notice="已保存" if saved else None)


@router.post("/{station_id}/alert-modes", response_class=HTMLResponse)
async def save_alert_mode(request: Request, station_id: StationId, token: PageLogin, session: SessionDep) -> Response:
    """Declare (or withdraw, with `withdraw`) the station's mode for one alert type, inside the writer's region."""
    form = await request.form()
    posted = {k: v for k, v in form.items() if isinstance(v, str)}
    auth.check_csrf(token=token, given=posted.get("csrf_token"))
    scope = auth.write_scope(token.user)
    try:
        with session.begin_nested():
            if posted.get("withdraw"):
                modes.withdraw(session=session, station_id=station_id, scope=scope,
                               alert_type=_choice(AlertType, posted.get("alert_type")))
            else:
                data = AlertModeSet(alert_type=_choice(AlertType, posted.get("alert_type")),
                                    min_level=_choice(Level, posted.get("min_level")),
                                    hours=posted.get("hours", ""),
                                    offers=[o for o in form.getlist("offers") if isinstance(o, str)])
                modes.declare(session=session, station_id=station_id, data=data, actor=token.user.username,
                              scope=scope)
    except StationsError as exc:
        return _page(request, token, session, station_id, status_code=exc.status_code, error=exc.message)
    except ValidationError as exc:
        return _page(request, token, session, station_id, status_code=422, error=validation_message(exc))
    return RedirectResponse(f"/staff/stations/{station_id}/alert-modes?saved=1", status_code=303)


def _choice(kind: Any, value: str | None) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"请选择：{', '.join(v.value for v in kind)}") from None
