"""Whether a station can be used at a moment: staffed hours, self-service hours and status together (uncached:
`NearestCaches` keeps what a process has evaluated)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stations.hours import HolidayCalendar, Hours, Verdict, is_open, is_unknown, judge, next_change, parse_hours
from stations.reference import Status


@dataclass(frozen=True)
class Opening:
    """A station's state at one moment, as a worker needs it.

    `open` and `staffed` are None when a holiday not yet announced would decide them; `provisional` says the
    answer assumes ordinary weekdays and weekends because the year's holiday schedule is not loaded;
    `open_if_ordinary` is the answer on an ordinary day, which is what the open filter keeps.
    """

    open: bool | None
    staffed: bool | None
    next_change: datetime | None
    self_service: bool
    provisional: bool = False
    open_if_ordinary: bool = False
    hours_unknown: bool = False
    """Nobody gave the staffed hours (stored as `unknown`): `open` is None unless self-service hours say open."""


CLOSED = Opening(open=False, staffed=False, next_change=None, self_service=False)
_NEVER = Verdict(open=False, provisional=False, open_if_ordinary=False)


def opening(
    *, status: str, hours: str, self_service_hours: str | None, at: datetime, calendar: HolidayCalendar
) -> Opening:
    """Open if active and inside staffed or self-service hours; when that changes next (None if never soon)."""
    if status != Status.ACTIVE:
        return CLOSED
    if is_unknown(hours):
        return _unknown(self_service_hours, at=at, calendar=calendar)
    staffed_hours = parse_hours(hours)
    self_hours = parse_hours(self_service_hours) if self_service_hours else None
    staffed = judge(staffed_hours, at=at, calendar=calendar)
    self_open = judge(self_hours, at=at, calendar=calendar) if self_hours else _NEVER
    ordinary = staffed.open_if_ordinary or self_open.open_if_ordinary
    candidates = [next_change(staffed_hours, at=at, calendar=calendar),
                  next_change(self_hours, at=at, calendar=calendar) if self_hours else None]
    flips = sorted(t for t in candidates if t is not None)
    change = next((t for t in flips if _open_at(staffed_hours, self_hours, t, calendar) != ordinary), None)
    return Opening(open=_either(staffed.open, self_open.open), staffed=staffed.open, next_change=change,
                   self_service=self_open.open is True and staffed.open is not True,
                   provisional=staffed.provisional or self_open.provisional, open_if_ordinary=ordinary)


def _unknown(self_service_hours: str | None, *, at: datetime, calendar: HolidayCalendar) -> Opening:
    """A station whose staffed hours nobody gave: open only when its self-service hours say so, else not known
    (never open, so an open filter leaves it out)."""
    if not self_service_hours:
        return Opening(open=None, staffed=None, next_change=None, self_service=False, hours_unknown=True)
    self_hours = parse_hours(self_service_hours)
    verdict = judge(self_hours, at=at, calendar=calendar)
    return Opening(open=True if verdict.open else None, staffed=None, next_change=None,
                   self_service=verdict.open is True, provisional=verdict.provisional,
                   open_if_ordinary=verdict.open_if_ordinary, hours_unknown=True)


def _either(a: bool | None, b: bool | None) -> bool | None:
    """Open if either is open, closed if both are closed, else unknown."""
    return True if a or b else None if a is None or b is None else False


def _open_at(staffed: Hours, self_service: Hours | None, at: datetime, calendar: HolidayCalendar) -> bool:
    return is_open(staffed, at=at, calendar=calendar) or (
        self_service is not None and is_open(self_service, at=at, calendar=calendar))
