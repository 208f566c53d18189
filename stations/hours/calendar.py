"""China's official calendar as data: statutory holidays and make-up workdays (调休) per published year.

A `HolidayCalendar` holds the official days of the years whose schedule (the State Council's notice) is known.
The app builds one from the registry's `holiday_days` table and passes it to every evaluation; without a
registry (tests, scripts) `package_calendar()` reads the installed chinesecalendar.

A year whose schedule is not published yet is *provisional*, never an error: its days are ordinary weekdays and
weekends, except the days the holiday law fixes by date (元旦 1 January, 劳动节 1-2 May, 国庆节 1-3 October,
from the 2025 revision of 《全国年节及纪念日放假办法》), which are holidays whatever the notice says later. The
lunar festivals, the bridges between a holiday and the weekend and the make-up workdays are what a notice adds;
`is_settled` says which days they could still change.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import chinese_calendar
from chinese_calendar.constants import Holiday


class DayKind(enum.Enum):
    """What a date is in China's official calendar."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


OFFICIAL_KINDS = (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY)
"""The kinds a schedule lists; every other day is a workday or a weekend by its weekday."""


@dataclass(frozen=True, slots=True)
class OfficialDay:
    """One day a published schedule lists: a holiday (weekend days inside a break included) or a make-up workday."""

    day: date
    kind: DayKind
    name: str


LAW_FIXED_SINCE = 2025
"""The holiday law's 2024 revision (in force 2025) fixes these dates; earlier years are not given them."""
LAW_FIXED: tuple[tuple[int, int, str], ...] = (
    (1, 1, "元旦"), (5, 1, "劳动节"), (5, 2, "劳动节"), (10, 1, "国庆节"), (10, 2, "国庆节"), (10, 3, "国庆节"),
)
"""(month, day, name) of the statutory holidays the law fixes by Gregorian date."""
_LAW_FIXED = {(month, day): name for month, day, name in LAW_FIXED}


class HolidayCalendar:
    """Official days of the published years; other years are provisional (see the module docstring).

    Compared and hashed by identity: evaluation caches key on the calendar object, so a new schedule means a new
    calendar and never a stale cached answer.
    """

    __slots__ = ("_days", "_override", "_published", "_variants", "label")

    def __init__(self, days: Iterable[OfficialDay], published: Iterable[int], *, label: str = "") -> None:
        self._days: dict[date, OfficialDay] = {d.day: d for d in days}
        self._override: OfficialDay | None = None
        self._published = frozenset(published)
        self._variants: dict[tuple[date, DayKind], HolidayCalendar] = {}
        self.label = label

    def __repr__(self) -> str:
        return f"HolidayCalendar({self.label or 'unnamed'}, published={self.published_years})"

    @property
    def published_years(self) -> tuple[int, ...]:
        """The years whose official schedule this calendar holds, in order."""
        return tuple(sorted(self._published))

    def is_published(self, year: int) -> bool:
        """Whether the official schedule of `year` is known (else its days are provisional)."""
        return year in self._published

    def official(self, d: date) -> OfficialDay | None:
        """The schedule's entry for `d`, or a law-fixed holiday of an unpublished year; None for ordinary days."""
        if self._override is not None and self._override.day == d:
            return self._override
        listed = self._days.get(d)
        if listed is not None or d.year in self._published or d.year < LAW_FIXED_SINCE:
            return listed
        name = _LAW_FIXED.get((d.month, d.day))
        return OfficialDay(d, DayKind.HOLIDAY, name) if name else None

    def day_kind(self, d: date) -> DayKind:
        """Workday, weekend, statutory holiday (weekends inside a break included) or make-up workday."""
        day = d.date() if isinstance(d, datetime) else d
        entry = self.official(day)
        if entry is not None:
            return entry.kind
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY

    def is_settled(self, d: date) -> bool:
        """Whether `d`'s kind is final: its year is published, a schedule lists it, or the law fixes it."""
        return d.year in self._published or self.official(d) is not None

    def assuming(self, d: date, kind: DayKind) -> HolidayCalendar:
        """This calendar with `d` taken to be `kind` (a holiday or make-up day an unpublished notice may add).

        Variants are kept, so asking again gives the same object and evaluation caches keep working.
        """
        key = (d, kind)
        variant = self._variants.get(key)
        if variant is None:
            variant = HolidayCalendar((), self._published, label=f"{self.label} assuming {d} {kind.value}")
            variant._days, variant._override = self._days, OfficialDay(d, kind, "待公布")  # shared, not copied
            self._variants[key] = variant
        return variant

    def days_of(self, year: int) -> list[OfficialDay]:
        """The listed days falling in `year`, in date order."""
        return sorted((d for d in self._days.values() if d.day.year == year), key=lambda d: d.day)


def weekday_stand_in(d: date, calendar: HolidayCalendar) -> date:
    """The date whose weekday `d` behaves as: a make-up workday counts as the Monday of its ISO week."""
    if calendar.day_kind(d) is DayKind.MAKEUP_WORKDAY:
        return d - timedelta(days=d.weekday())
    return d


@cache
def package_schedules() -> Mapping[int, tuple[OfficialDay, ...]]:
    """The official days the installed chinesecalendar knows, by year, with Chinese festival names."""
    chinese = {holiday.value: holiday.chinese for holiday in Holiday}
    years: dict[int, list[OfficialDay]] = {}
    for day, name in chinese_calendar.holidays.items():
        years.setdefault(day.year, []).append(OfficialDay(day, DayKind.HOLIDAY, chinese.get(name, name)))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            years.setdefault(day.year, []).append(OfficialDay(day, DayKind.MAKEUP_WORKDAY, chinese.get(name, name)))
    return {year: tuple(sorted(days, key=lambda d: d.day)) for year, days in sorted(years.items())}


def package_version() -> str:
    """`chinesecalendar <version>`, the source label of the package's schedules."""
    return f"chinesecalendar {getattr(chinese_calendar, '__version__', '?')}"


@cache
def package_calendar() -> HolidayCalendar:
    """A calendar of the years the installed chinesecalendar knows (for use without a registry)."""
    schedules = package_schedules()
    return HolidayCalendar((d for days in schedules.values() for d in days), schedules, label=package_version())


def day_kind(d: date, calendar: HolidayCalendar | None = None) -> DayKind:
    """`calendar.day_kind(d)`, with the package's calendar by default."""
    return (calendar or package_calendar()).day_kind(d)


def known_years(calendar: HolidayCalendar | None = None) -> tuple[int, int]:
    """First and last published year of `calendar` (the package's by default)."""
    years = (calendar or package_calendar()).published_years
    return years[0], years[-1]
