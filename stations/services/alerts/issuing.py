"""Alerts issued by staff (inside their region) or pushed as signed CAP 1.2, cancelled, and listed; every one is
recorded as an alert event of the change feed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from stations import divisions
from stations.db import alert_queries as queries
from stations.db.models import WeatherAlert
from stations.errors import Conflict, InvalidInput, NotFound
from stations.geo.crs import Crs, to_wgs84
from stations.geo.validation import validate_lonlat
from stations.regions import validate_adcode
from stations.schemas.alerts import AlertCreate, AlertPublic
from stations.services.alerts import cap, signing
from stations.services.staff import auth
from stations.weather import AlertType, Level, words

MAX_DAYS = 14
"""The longest an alert may last (a signal is renewed, not issued for a season)."""


def area_patterns(areas: list[str]) -> list[str]:
    """LIKE patterns of an alert's areas: `44%` for a province, `4403%` for a city, a county's own code."""
    patterns = []
    for code in areas:
        prefix = divisions.region_prefix(code)
        patterns.append(prefix if len(prefix) == 6 else prefix + "%")
    return patterns


def public(alert: WeatherAlert, *, now: datetime, lang: str = "zh") -> AlertPublic:
    """An alert as the map and the feed show it."""
    said = words(AlertType(alert.alert_type), Level(alert.level), lang)
    return AlertPublic(
        id=alert.id, identifier=alert.identifier, alert_type=AlertType(alert.alert_type), level=Level(alert.level),
        title=said.title, areas=list(alert.areas), starts_at=alert.starts_at, ends_at=alert.ends_at,
        active=alert.cancelled_at is None and alert.starts_at <= now < alert.ends_at, headline=alert.headline,
        guidance=alert.guidance, labour_guidance=said.guidance, source=alert.source,
        cancelled=alert.cancelled_at is not None)


def current(*, session: Session, now: datetime) -> list[WeatherAlert]:
    """Alerts not cancelled and not over at `now` (including those starting later)."""
    return queries.current(session=session, now=now)


def over_point(alerts: list[WeatherAlert], *, lon: float | None, lat: float | None, crs: Crs) -> list[WeatherAlert]:
    """The alerts whose area holds the county the point lies in (none when the point is in no county we know)."""
    if lon is None or lat is None:
        raise InvalidInput("give both lon and lat (or neither)")
    lon, lat = to_wgs84(*validate_lonlat(lon, lat, crs=crs), crs)
    county = divisions.locate(lon, lat)
    if county is None:
        return []
    return [alert for alert in alerts if any(divisions.contains(area, county) for area in alert.areas)]


def issue(*, session: Session, data: AlertCreate, actor: str, scope: str) -> WeatherAlert:
    """Record a staff alert; Forbidden when an area lies outside `scope`, InvalidInput for bad codes or times."""
    areas = _areas(data.areas)
    for code in areas:
        auth.ensure_in_scope(scope, code, what="the alert's area")
    _check_times(data.starts_at, data.ends_at)
    alert = WeatherAlert(identifier=f"staff-{uuid.uuid4()}",
                         sender=actor, source="staff", alert_type=data.alert_type.value, level=data.level.value,
                         areas=areas, starts_at=data.starts_at, ends_at=data.ends_at, headline=data.headline,
                         guidance=data.guidance, created_by=actor)
    return _store(session=session, alert=alert)


def receive_cap(*, session: Session, body: bytes, signature: str | None, timestamp: str | None, now: datetime,
                secret: str | None, tolerance_seconds: int) -> WeatherAlert:
    """Store the alert a signed CAP push carries (an Update replaces, a Cancel cancels the alerts it references).

    Refused: an unsigned, forged or stale push (401, or 409 while pushes are off), a malformed or hostile document
    (422/413), an identifier already received (409: a replay)."""
    signing.verify(secret=secret, signature=signature, timestamp=timestamp, body=body, now=now,
                   tolerance_seconds=tolerance_seconds)
    message = cap.parse(body)
    if queries.by_identifier(session=session, identifier=message.identifier) is not None:
        raise Conflict(f"CAP alert {message.identifier!r} was already received: a new message needs a new identifier")
    replaced = [found for ref in message.references
                if (found := queries.by_identifier(session=session, identifier=ref)) is not None]
    for old in replaced:
        if old.cancelled_at is None:
            old.cancelled_at = now
            queries.record(session=session, alert_id=old.id, action="cancel", after=_event(old, now=now))
    areas = _areas(list(message.areas))
    alert = WeatherAlert(identifier=message.identifier, sender=message.sender, source="cap",
                         alert_type=message.alert_type.value, level=message.level.value, areas=areas,
                         starts_at=message.starts_at, ends_at=message.ends_at, headline=message.headline,
                         guidance=message.guidance, created_by=message.sender[:120],
                         cancelled_at=now if message.msg_type == "Cancel" else None)
    if message.msg_type == "Cancel" and not replaced:
        raise NotFound("the CAP Cancel references no alert we received (<references> sender,identifier,sent)")
    return _store(session=session, alert=alert, action={"Cancel": "cancel", "Update": "update"}.get(message.msg_type))


def cancel(*, session: Session, alert_id: int, scope: str, now: datetime) -> WeatherAlert:
    """End an alert now (staff, inside their region); an alert already over or cancelled is a conflict."""
    alert = session.get(WeatherAlert, alert_id)
    if alert is None:
        raise NotFound(f"no alert with id {alert_id}")
    for code in alert.areas:
        auth.ensure_in_scope(scope, code, what="the alert's area")
    if alert.cancelled_at is not None or alert.ends_at <= now:
        raise Conflict(f"alert {alert_id} is already over")
    alert.cancelled_at = now
    queries.record(session=session, alert_id=alert.id, action="cancel", after=_event(alert, now=now))
    return alert


def _store(*, session: Session, alert: WeatherAlert, action: str | None = None) -> WeatherAlert:
    session.add(alert)
    session.flush()
    now = alert.cancelled_at or alert.starts_at
    queries.record(session=session, alert_id=alert.id, action=action or "issue", after=_event(alert, now=now))
    return alert


def _event(alert: WeatherAlert, *, now: datetime) -> dict[str, Any]:
    """The alert as a feed event carries it (JSON)."""
    return public(alert, now=now).model_dump(mode="json")


def _areas(codes: list[str]) -> list[str]:
    try:
        return list(dict.fromkeys(validate_adcode(code) for code in codes))
    except InvalidInput as exc:
        raise InvalidInput(f"alert area: {exc.message}") from None


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidInput("starts_at and ends_at need an offset, e.g. 2026-07-20T14:00:00+08:00")
    if ends_at <= starts_at:
        raise InvalidInput("ends_at must be later than starts_at")
    if (ends_at - starts_at).days >= MAX_DAYS:
        raise InvalidInput(f"an alert lasts at most {MAX_DAYS} days: issue a new one when it is renewed")
