"""A timetable's 168 hours of an ordinary week: which hours a station is open, as the coverage SQL takes them.

An hour counts as open when the station is open at its half past (on an ordinary day: holidays are not planned
for; a statutory holiday moves demand and hours alike). Stored hours that no longer parse count as never open.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache

from stations.db.nearest_sql import timetable_key
from stations.errors import InvalidHours
from stations.hours import SHANGHAI, is_unknown, judge, package_calendar, parse_hours

HOURS_OF_WEEK = 168
REFERENCE_MONDAY = datetime(2025, 3, 3, tzinfo=SHANGHAI)
"""An ordinary week (no holiday, no make-up workday): 2025-03-03 to 03-09."""


@lru_cache(maxsize=8192)
def open_hours(hours: str, self_service_hours: str | None) -> str:
    """'1' for each hour of the week (Monday 00:00 first) the timetable is open at half past, else '0': open when
    the staffed or the self-service hours are, on an ordinary day (as `nearest.opening` judges an active station)."""
    try:
        parsed = [parse_hours(text) for text in (hours, self_service_hours) if text and not is_unknown(text)]
    except InvalidHours:
        return "0" * HOURS_OF_WEEK
    calendar = package_calendar()
    bits = []
    for hour in range(HOURS_OF_WEEK):
        at = REFERENCE_MONDAY + timedelta(hours=hour, minutes=30)
        bits.append("1" if any(judge(each, at=at, calendar=calendar).open_if_ordinary for each in parsed) else "0")
    return "".join(bits)


def masks(timetables: list[tuple[str, str | None]]) -> tuple[list[str], list[str]]:
    """(keys, masks) of the timetables, for the coverage SQL's `:keys` and `:masks`."""
    keys = [timetable_key(hours, self_hours) for hours, self_hours in timetables]
    return keys, [open_hours(hours, self_hours) for hours, self_hours in timetables]


def hour_label(hour: int) -> str:
    """'周一 08时' for hour 8 of the week."""
    return f"周{'一二三四五六日'[hour // 24]} {hour % 24:02d}时"
