"""Evaluate `Hours` in Asia/Shanghai under a holiday calendar: open now, how sure, and when that next changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import State

from stations.hours.calendar import DayKind, HolidayCalendar, package_calendar
from stations.hours.engine import compile_expression
from stations.hours.parse import Hours
from stations.hours.weekdays import is_calendar_free, rewrite_for_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
HORIZON = timedelta(days=14)

# (start, end, open) in naive Shanghai local time, covering one day without gaps.
Segment = tuple[datetime, datetime, bool]


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether hours are open at an instant, and how sure that is.

    `open` is None when a holiday that an unpublished schedule may still add would change the answer (a `PH` rule
    in a provisional year); `provisional` says the answer assumes ordinary weekdays and weekends on a day whose
    schedule is not published; `open_if_ordinary` is the answer if that day turns out ordinary (what an open
    filter uses).
    """

    open: bool | None
    provisional: bool
    open_if_ordinary: bool


def _local(at: datetime) -> datetime:
    """`at` as naive Shanghai wall-clock time (naive input is taken to be Shanghai time already)."""
    return at if at.tzinfo is None else at.astimezone(SHANGHAI).replace(tzinfo=None)


@lru_cache(maxsize=16384)
def day_segments(text: str, day: date, calendar: HolidayCalendar) -> tuple[Segment, ...]:
    """Open/not-open stretches of one local day, including what spills over from the day before."""
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    segments: list[Segment] = []
    expression = compile_expression(text if is_calendar_free(text) else rewrite_for_day(text, day, calendar))
    for seg_start, seg_end, state, _comment in expression.intervals(start, end):
        is_open_now = state == State.OPEN
        if segments and segments[-1][2] == is_open_now:
            segments[-1] = (segments[-1][0], seg_end, is_open_now)
        else:
            segments.append((seg_start, seg_end, is_open_now))
    return tuple(segments) or ((start, end, False),)


def is_open(hours: Hours, *, at: datetime, calendar: HolidayCalendar | None = None) -> bool:
    """Whether the place is open at `at` (naive = Shanghai local time) under `calendar`, provisional days taken as
    ordinary weekdays and weekends; `unknown` counts as not open. The package's calendar by default."""
    local = _local(at)
    segments = day_segments(hours.text, local.date(), calendar or package_calendar())
    return any(a <= local < b and open_ for a, b, open_ in segments)


def judge(hours: Hours, *, at: datetime, calendar: HolidayCalendar | None = None) -> Verdict:
    """`is_open` with how sure it is: each unsettled day that decides `at` (today, and yesterday for hours past
    midnight) is tried as a holiday and, on a weekend, as a make-up workday; an answer no such day can change is
    certain."""
    calendar = calendar or package_calendar()
    local = _local(at)
    base = is_open(hours, at=local, calendar=calendar)
    if is_calendar_free(hours.text):
        return Verdict(base, False, base)
    doubtful = [d for d in (local.date() - timedelta(days=1), local.date()) if not calendar.is_settled(d)]

    def flips(day: date, kind: DayKind) -> bool:
        return is_open(hours, at=local, calendar=calendar.assuming(day, kind)) != base

    if any(flips(d, DayKind.HOLIDAY) for d in doubtful):
        return Verdict(None, True, base)
    makeup = any(flips(d, DayKind.MAKEUP_WORKDAY) for d in doubtful if d.weekday() >= 5)
    return Verdict(base, makeup, base)


def next_change(hours: Hours, *, at: datetime, calendar: HolidayCalendar | None = None) -> datetime | None:
    """When `is_open` next flips after `at` (aware, Asia/Shanghai), or None if not within `HORIZON`; days of an
    unpublished year count as ordinary weekdays and weekends."""
    calendar = calendar or package_calendar()
    local = _local(at)
    current = is_open(hours, at=local, calendar=calendar)
    limit = local + HORIZON
    day = local.date()
    while datetime.combine(day, time()) <= limit:
        for start, _end, open_ in day_segments(hours.text, day, calendar):
            if local < start <= limit and open_ != current:
                return start.replace(tzinfo=SHANGHAI)
        day += timedelta(days=1)
    return None
