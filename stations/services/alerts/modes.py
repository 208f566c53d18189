"""Stations' alert modes: what a station does during an alert of a type at or above a level (its hours then and
what it offers), declared by staff inside their region; and the dashboard's list of the stations in an alert's
area that declared one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from stations.db import alert_queries as queries
from stations.db.models import StationAlertMode, WeatherAlert
from stations.errors import InvalidInput, NotFound
from stations.hours import SHANGHAI, hours_in_words, parse_hours
from stations.schemas.alerts import AlertModePublic, AlertModeSet, AlertStation, AlertStationsPublic
from stations.services.alerts.issuing import area_patterns, public
from stations.services.registry import stations as registry
from stations.weather import LEVEL_ZH, OFFERS, TYPE_ZH, AlertType, Level, at_least

DASHBOARD_LIMIT = 500


def to_public(mode: StationAlertMode) -> AlertModePublic:
    """A declared mode as the API shows it, its hours in words."""
    return AlertModePublic(station_id=mode.station_id, alert_type=AlertType(mode.alert_type),
                           min_level=Level(mode.min_level), hours=mode.hours, hours_text=hours_in_words(mode.hours),
                           offers=list(mode.offers))


def declare(*, session: Session, station_id: int, data: AlertModeSet, actor: str, scope: str) -> StationAlertMode:
    """Set a station's mode for one alert type (replacing the one declared before); NotFound, Forbidden outside
    the writer's region, InvalidInput for hours that do not parse or an offer outside the vocabulary."""
    registry.get_for_write(session=session, station_id=station_id, scope=scope)
    parse_hours(data.hours)  # InvalidHours says what to fix
    unknown = sorted(set(data.offers) - OFFERS)
    if unknown:
        raise InvalidInput(f"unknown offer {', '.join(unknown)}; an alert mode may offer: {', '.join(sorted(OFFERS))}")
    mode = session.get(StationAlertMode, (station_id, data.alert_type.value))
    if mode is None:
        mode = StationAlertMode(station_id=station_id, alert_type=data.alert_type.value)
        session.add(mode)
    mode.min_level, mode.hours, mode.offers = data.min_level.value, data.hours, list(dict.fromkeys(data.offers))
    mode.updated_by, mode.updated_at = actor, datetime.now(UTC)
    session.flush()
    return mode


def withdraw(*, session: Session, station_id: int, alert_type: AlertType, scope: str) -> None:
    """Remove a station's mode for one alert type; NotFound when none was declared."""
    registry.get_for_write(session=session, station_id=station_id, scope=scope)
    mode = session.get(StationAlertMode, (station_id, alert_type.value))
    if mode is None:
        raise NotFound(f"station {station_id} declared no {alert_type.value} alert mode")
    session.delete(mode)
    session.flush()


def modes_of(*, session: Session, station_id: int) -> list[StationAlertMode]:
    """A station's declared modes."""
    return queries.modes_of(session=session, station_id=station_id)


def in_alert_areas(*, session: Session, region: str, now: datetime) -> list[AlertStationsPublic]:
    """For each alert not over yet: how many live stations of its area lie in `region` (a staff prefix), and which
    of them declared an alert mode (and whether this alert switches it on)."""
    return [_for_alert(session=session, alert=alert, region=region, now=now)
            for alert in queries.current(session=session, now=now)]


def dashboard_context(*, session: Session, region: str, now: datetime) -> dict[str, Any]:
    """What the staff dashboard's alert panel (staff/alerts_panel.html) shows, with the labels it needs."""
    return {"alert_areas": in_alert_areas(session=session, region=region, now=now), "type_names": TYPE_ZH,
            "level_names": LEVEL_ZH, "beijing": SHANGHAI}


def _for_alert(*, session: Session, alert: WeatherAlert, region: str, now: datetime) -> AlertStationsPublic:
    patterns = area_patterns(list(alert.areas))
    rows = queries.declared_in(session=session, patterns=patterns, scope=region, limit=DASHBOARD_LIMIT)
    declared = [AlertStation(id=r.id, name=r.name, sign_code=r.sign_code, adcode=r.adcode,
                             alert_type=AlertType(r.alert_type), min_level=Level(r.min_level), hours=r.alert_hours,
                             offers=list(r.offers),
                             applies=r.alert_type == alert.alert_type
                             and at_least(Level(alert.level), Level(r.min_level)))
                for r in rows]
    return AlertStationsPublic(alert=public(alert, now=now), declared=declared,
                               in_area=queries.count_in(session=session, patterns=patterns, scope=region))
