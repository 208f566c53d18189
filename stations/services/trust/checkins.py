"""Rider check-ins: one tap (open, closed, could not get in, a facility broken), anonymous, feeding the station's
last confirmation that it was open, its per-fact check dates, its quality score and the staff's closed flags."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from stations.db import registry_queries
from stations.db import trust_queries as queries
from stations.db.models import Checkin, Station
from stations.errors import Conflict, InvalidHours, InvalidInput, NotFound
from stations.hours import SHANGHAI, HolidayCalendar
from stations.nearest.opening import opening
from stations.reference import Kind, amenity_codes
from stations.schemas.trust import CheckinCreate, CheckinPublic
from stations.services.trust import quality


def during_hours(station: Station, *, at: datetime, calendar: HolidayCalendar) -> bool | None:
    """Whether the posted hours (staffed or self-service) said open at `at`; None when unsure (a holiday not yet
    announced, or hours the parser no longer reads)."""
    try:
        return opening(status=str(station.status), hours=station.hours, self_service_hours=station.self_service_hours,
                       at=at, calendar=calendar).open
    except InvalidHours:
        return None


def already_sent(*, session: Session, station_id: int, checkin: CheckinCreate,
                 tap_key: str | None) -> CheckinPublic | None:
    """The check-in stored earlier under this tap key (a phone's resend) as first answered, or None; Conflict when
    the key came with another station or outcome (a key is drawn per tap)."""
    row = None if tap_key is None else queries.checkin_by_tap_key(session=session, tap_key=tap_key)
    if row is None:
        return None
    if (row.station_id, row.outcome) != (station_id, checkin.outcome):
        raise Conflict("this Idempotency-Key was sent with another check-in: draw a new key for every tap")
    station = registry_queries.live_station(session=session, station_id=station_id)
    return CheckinPublic(station_id=station_id, outcome=row.outcome, amenity=row.amenity, during_hours=row.during_hours,
                         confirmed_open_at=station.confirmed_open_at if station else None, created_at=row.created_at)


def record(*, session: Session, station_id: int, checkin: CheckinCreate, now: datetime,
           calendar: HolidayCalendar, tap_key: str | None = None) -> CheckinPublic:
    """Store a check-in for a live station and apply what it confirms; nothing about the rider is stored."""
    station = registry_queries.live_station(session=session, station_id=station_id)
    if station is None:
        raise NotFound(f"站点 {station_id} 不存在或已撤销：请刷新地图 (no such station)")
    amenity = checkin.amenity if checkin.outcome == "broken" else None
    if amenity is not None and amenity not in amenity_codes(Kind(station.kind)):
        raise InvalidInput(f"unknown amenity {amenity!r} for {station.kind}: send one of the station's amenities")
    hours_said_open = during_hours(station, at=now, calendar=calendar)
    row = Checkin(station_id=station_id, outcome=checkin.outcome, amenity=amenity, during_hours=hours_said_open,
                  created_at=now, tap_key=tap_key)
    session.add(row)
    today = now.astimezone(SHANGHAI).date()
    confirmed: dict[str, object] = {"location_checked_on": today}  # whatever they say, they found the place
    if checkin.outcome == "open":
        confirmed |= {"confirmed_open_at": now, "verified_at": today}
        if hours_said_open:
            confirmed["hours_checked_on"] = today
    queries.stamp(session=session, station_id=station_id, values=confirmed)
    session.flush()
    quality.refresh(session=session, now=now, ids=[station_id])
    return CheckinPublic(station_id=station_id, outcome=checkin.outcome, amenity=amenity,
                         during_hours=hours_said_open, confirmed_open_at=station.confirmed_open_at,
                         created_at=row.created_at)


def flagged(*, session: Session, region: str, now: datetime, limit: int = 200) -> list[RowMapping]:
    """Stations of `region` that several riders found closed during their posted hours this week, since anyone
    last confirmed them open: for staff to check."""
    return queries.flagged(session=session, region=region, since=now - timedelta(days=quality.FLAG_DAYS),
                           at_least=quality.FLAG_AFTER, limit=limit)
