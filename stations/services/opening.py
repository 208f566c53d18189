"""Whether a station can be used at a moment: staffed hours, self-service hours and status together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from stations.hours import HolidayCalendar, Hours, Verdict, is_open, judge, next_change, parse_hours
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


def opening(
    *, status: str, hours: str, self_service_hours: str | None, at: datetime, calendar: HolidayCalendar
) -> Opening:
    """Open if active and inside staffed or self-service hours; when that changes next (None if never soon)."""
    if status != Status.ACTIVE:
        return CLOSED
    # Hours have minute resolution, so every instant of a minute has the same answer as its first second.
    return _opening(hours, self_service_hours, at.replace(second=0, microsecond=0), calendar)


STATES_PER_MINUTE = 4096
"""Timetables `remember` keeps a minute; beyond that `opening` is called (and cached) for each of them as before."""


def states_at(at: datetime, calendar: HolidayCalendar) -> dict[tuple[str, str, str | None], Opening]:
    """The `opening` of each timetable (status, hours, self-service hours) asked about in `at`'s minute: one dict per
    minute, shared by that minute's lookups, read directly and filled through `remember`. A lookup's rows share a few
    timetables; keyed by strings, a row skips `opening`'s datetime `replace` and the hash of an aware datetime in its
    cache (`nearest._select` on ten rows at 1M, tight loop: 63-68 us before, 28-33 us after)."""
    return _states(at.replace(second=0, microsecond=0), calendar)


def remember(states: dict[tuple[str, str, str | None], Opening], timetable: tuple[str, str, str | None],
             state: Opening) -> None:
    """Keep a timetable's state in its minute's `states_at` dict, up to `STATES_PER_MINUTE` timetables."""
    if len(states) < STATES_PER_MINUTE:
        states[timetable] = state


def forget_states() -> None:
    """Forget the states remembered per minute (tests that count them)."""
    _states.cache_clear()


@lru_cache(maxsize=4)
def _states(minute: datetime, calendar: HolidayCalendar) -> dict[tuple[str, str, str | None], Opening]:
    return {}


CLOSED = Opening(open=False, staffed=False, next_change=None, self_service=False)
_NEVER = Verdict(open=False, provisional=False, open_if_ordinary=False)


@lru_cache(maxsize=65536)
def _opening(hours: str, self_service_hours: str | None, at: datetime, calendar: HolidayCalendar) -> Opening:
    """`opening` of an active station, cached per (hours, self-service hours, minute, calendar)."""
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


def _either(a: bool | None, b: bool | None) -> bool | None:
    """Open if either is open, closed if both are closed, else unknown."""
    return True if a or b else None if a is None or b is None else False


def _open_at(staffed: Hours, self_service: Hours | None, at: datetime, calendar: HolidayCalendar) -> bool:
    return is_open(staffed, at=at, calendar=calendar) or (
        self_service is not None and is_open(self_service, at=at, calendar=calendar))
