"""China's calendar as the hours module sees it: real 2025/2026 holidays, 调休 days, and unpublished years."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from stations.hours import DayKind, HolidayCalendar, OfficialDay, day_kind, known_years, package_calendar
from stations.hours.calendar import LAW_FIXED


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2025, 10, 1), DayKind.HOLIDAY),  # National Day, Wednesday
        (date(2025, 10, 4), DayKind.HOLIDAY),  # Saturday inside the break is still part of it
        (date(2025, 10, 6), DayKind.HOLIDAY),  # Mid-Autumn, folded into the National Day break
        (date(2025, 10, 8), DayKind.HOLIDAY),  # last day of the 8-day break
        (date(2025, 10, 9), DayKind.WORKDAY),
        (date(2025, 9, 28), DayKind.MAKEUP_WORKDAY),  # Sunday worked for National Day
        (date(2025, 10, 11), DayKind.MAKEUP_WORKDAY),  # Saturday worked for National Day
        (date(2025, 10, 12), DayKind.WEEKEND),
        (date(2026, 2, 15), DayKind.HOLIDAY),  # Spring Festival 2026 runs Sun 15 .. Mon 23 February
        (date(2026, 2, 17), DayKind.HOLIDAY),
        (date(2026, 2, 23), DayKind.HOLIDAY),
        (date(2026, 2, 24), DayKind.WORKDAY),
        (date(2026, 2, 14), DayKind.MAKEUP_WORKDAY),
        (date(2026, 2, 28), DayKind.MAKEUP_WORKDAY),
        (date(2026, 1, 4), DayKind.MAKEUP_WORKDAY),  # Sunday after New Year 2026
        (date(2026, 11, 25), DayKind.WORKDAY),
        (date(2026, 11, 28), DayKind.WEEKEND),
    ],
)
def test_day_kind_matches_the_official_2025_2026_schedules(day: date, kind: DayKind) -> None:
    assert day_kind(day) is kind


def test_day_kind_accepts_a_datetime_as_its_date() -> None:
    assert day_kind(datetime(2025, 10, 1, 23, 59)) is DayKind.HOLIDAY


def test_known_years_cover_the_current_year() -> None:
    first, last = known_years()
    assert first <= 2025 and last >= 2026


def test_a_year_without_a_schedule_is_ordinary_weekdays_and_weekends_plus_the_laws_fixed_days() -> None:
    calendar = package_calendar()
    year = known_years()[1] + 1
    assert not calendar.is_published(year)
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(365)]
    fixed = {date(year, m, d) for m, d, _ in LAW_FIXED}
    for d in days:
        expected = (DayKind.HOLIDAY if d in fixed else DayKind.WEEKEND if d.weekday() >= 5 else DayKind.WORKDAY)
        assert day_kind(d) is expected, d
    assert {d for d in days if calendar.is_settled(d)} == fixed  # the rest waits for the notice
    assert calendar.official(date(year, 10, 2)) == OfficialDay(date(year, 10, 2), DayKind.HOLIDAY, "国庆节")


def test_the_laws_fixed_days_apply_from_its_2025_revision_only() -> None:
    calendar = HolidayCalendar([], [])  # nothing published
    assert calendar.day_kind(date(2025, 5, 2)) is DayKind.HOLIDAY
    assert calendar.day_kind(date(2024, 5, 2)) is DayKind.WORKDAY  # before the revision: not assumed
    assert not calendar.is_settled(date(2024, 5, 2))


def test_a_published_year_is_exactly_its_schedule() -> None:
    calendar = HolidayCalendar([OfficialDay(date(2030, 1, 1), DayKind.HOLIDAY, "元旦")], [2030])
    assert calendar.day_kind(date(2030, 1, 1)) is DayKind.HOLIDAY
    assert calendar.day_kind(date(2030, 5, 1)) is DayKind.WORKDAY  # the schedule decides, not the law's dates
    assert calendar.is_settled(date(2030, 5, 1))


def test_assuming_a_day_gives_one_variant_and_leaves_the_calendar_alone() -> None:
    calendar = HolidayCalendar([], [])
    saturday = date(2031, 3, 1)
    variant = calendar.assuming(saturday, DayKind.MAKEUP_WORKDAY)
    assert variant is calendar.assuming(saturday, DayKind.MAKEUP_WORKDAY)
    assert variant.day_kind(saturday) is DayKind.MAKEUP_WORKDAY
    assert calendar.day_kind(saturday) is DayKind.WEEKEND
