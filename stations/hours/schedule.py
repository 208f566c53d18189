"""Evaluate `Hours` in Asia/Shanghai: open now, and when that next changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from opening_hours import State

from stations.errors import CalendarOutOfRange
from stations.hours.calendar import day_kind
from stations.hours.engine import compile_expression
from stations.hours.parse import Hours
from stations.hours.selectors import is_calendar_free, rewrite_for_day

SHANGHAI = ZoneInfo("Asia/Shanghai")
HORIZON = timedelta(days=14)

# (start, end, open) in naive Shanghai local time, covering one day without gaps.
Segment = tuple[datetime, datetime, bool]


def _local(at: datetime) -> datetime:
    """`at` as naive Shanghai wall-clock time (naive input is taken to be Shanghai time already)."""
    return at if at.tzinfo is None else at.astimezone(SHANGHAI).replace(tzinfo=None)


def _expression_for(text: str, day: date) -> str:
    """What the plain parser must evaluate for `day`; checks the calendar covers it when that matters."""
    if is_calendar_free(text):
        return text
    day_kind(day)  # raises CalendarOutOfRange for a year the calendar does not know
    day_kind(day - timedelta(days=1))
    return rewrite_for_day(text, day)


@lru_cache(maxsize=16384)
def day_segments(text: str, day: date) -> tuple[Segment, ...]:
    """Open/not-open stretches of one local day, including what spills over from the day before."""
    start = datetime.combine(day, time())
    end = start + timedelta(days=1)
    segments: list[Segment] = []
    expression = compile_expression(_expression_for(text, day))
    for seg_start, seg_end, state, _comment in expression.intervals(start, end):
        is_open_now = state == State.OPEN
        if segments and segments[-1][2] == is_open_now:
            segments[-1] = (segments[-1][0], seg_end, is_open_now)
        else:
            segments.append((seg_start, seg_end, is_open_now))
    return tuple(segments) or ((start, end, False),)


def is_open(hours: Hours, *, at: datetime) -> bool:
    """Whether the place is open at `at` (naive = Shanghai local time); `unknown` counts as not open."""
    local = _local(at)
    return any(a <= local < b and open_ for a, b, open_ in day_segments(hours.text, local.date()))


def next_change(hours: Hours, *, at: datetime) -> datetime | None:
    """When `is_open` next flips after `at` (aware, Asia/Shanghai); None if not within `HORIZON`, or not before
    the holiday calendar ends (a flip on a day it cannot classify is unknown, not an error: `at` itself is)."""
    local = _local(at)
    current = is_open(hours, at=local)
    limit = local + HORIZON
    day = local.date()
    while datetime.combine(day, time()) <= limit:
        try:
            segments = day_segments(hours.text, day)
        except CalendarOutOfRange:
            return None
        for start, _end, open_ in segments:
            if local < start <= limit and open_ != current:
                return start.replace(tzinfo=SHANGHAI)
        day += timedelta(days=1)
    return None
