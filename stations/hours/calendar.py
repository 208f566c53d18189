"""China's official calendar: statutory holidays and make-up workdays (调休), from chinesecalendar."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar

from stations.errors import CalendarOutOfRange


class DayKind(enum.Enum):
    """What a date is in China's official calendar."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


@lru_cache(maxsize=1)
def known_years() -> tuple[int, int]:
    """First and last year the installed chinesecalendar has official holiday data for."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)


def check_known(d: date) -> None:
    """Raise `CalendarOutOfRange` unless the calendar has official data for the year of `d`."""
    first, last = known_years()
    if d.year > last:
        raise CalendarOutOfRange(
            f"no holiday data for {d.isoformat()}: holiday calendar only knows years up to {last}; "
            "upgrade chinesecalendar"
        )
    if d.year < first:
        raise CalendarOutOfRange(
            f"no holiday data for {d.isoformat()}: holiday calendar only knows years from {first} to {last}"
        )


def day_kind(d: date) -> DayKind:
    """Classify a date: workday, weekend, statutory holiday (weekends inside a break included) or 调休 day."""
    return _day_kind(d.date() if isinstance(d, datetime) else d)


@lru_cache(maxsize=4096)
def _day_kind(d: date) -> DayKind:
    check_known(d)
    try:
        on_break, name = chinese_calendar.get_holiday_detail(d)
        workday = chinese_calendar.is_workday(d)
    except NotImplementedError as exc:  # the library's own range check, kept as a backstop
        message = f"no holiday data for {d.isoformat()}: {exc}; upgrade chinesecalendar"
        raise CalendarOutOfRange(message) from exc
    if on_break and name is not None:
        return DayKind.HOLIDAY
    if d.weekday() >= 5:
        return DayKind.MAKEUP_WORKDAY if workday else DayKind.WEEKEND
    return DayKind.WORKDAY


def weekday_stand_in(d: date) -> date:
    """The date whose weekday `d` behaves as: a make-up workday counts as the Monday of its ISO week."""
    if day_kind(d) is DayKind.MAKEUP_WORKDAY:
        return d - timedelta(days=d.weekday())
    return d
