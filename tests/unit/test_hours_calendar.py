"""China's calendar as the hours module sees it: real 2025/2026 holidays, 调休 days and the data's limits."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from stations.errors import CalendarOutOfRange
from stations.hours import DayKind, day_kind, known_years


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


def test_a_year_past_the_data_is_refused_with_an_actionable_message() -> None:
    last = known_years()[1]
    with pytest.raises(CalendarOutOfRange) as raised:
        day_kind(date(2030, 5, 1))
    message = raised.value.message
    assert f"holiday calendar only knows years up to {last}; upgrade chinesecalendar" in message
    assert "2030-05-01" in message


def test_the_first_day_after_the_data_is_already_refused() -> None:
    last = known_years()[1]
    assert day_kind(date(last, 12, 31)) in set(DayKind)
    with pytest.raises(CalendarOutOfRange):
        day_kind(date(last + 1, 1, 1))


def test_a_year_before_the_data_is_refused() -> None:
    first = known_years()[0]
    with pytest.raises(CalendarOutOfRange, match=f"from {first}"):
        day_kind(date(first - 1, 6, 1))
