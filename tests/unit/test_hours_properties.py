"""Hours properties: next_change is exact, plain days agree with the parser, 调休 days act as Mondays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from opening_hours import OpeningHours

from stations.hours import HORIZON, DayKind, day_kind, is_open, next_change, parse_hours

WITHOUT_PH = (
    "Mo-Fr 09:00-17:00",
    "Mo-Fr 08:00-12:00,14:00-18:00; Sa 09:00-12:00",
    "Mo-Fr 07:00-19:00; Sa-Su 09:00-17:00",
    "Jun-Sep Mo-Fr 07:00-19:00; Oct-May Mo-Fr 08:30-17:30",
    "Tu-Sa 10:00-20:00; We off",
    "24/7",
    'Mo-Sa 08:00-18:00 "午休 12:00-13:00"',
)
OVERNIGHT = (
    "Mo-Fr 22:00-06:00",
    "Fr 20:00-02:00",
    "Mo-Fr 20:00-08:00; Sa 10:00-12:00",
)
WITH_PH = (
    "Mo-Fr 09:00-17:00; PH off",
    "Mo-Su 08:00-22:00; PH 10:00-16:00",
    "24/7; PH off",
    "Sa,Su,PH 09:00-18:00",
    "Mo-Fr 08:00-18:00; Sa 09:00-12:00; PH closed",
    "Mo-Fr 20:00-08:00; PH closed",
)
PH_OFFSETS = ("Mo-Fr 09:00-17:00; PH -1 day 09:00-12:00; PH off",)
EXPRESSIONS = WITHOUT_PH + OVERNIGHT + WITH_PH + PH_OFFSETS

# Naive Shanghai times whose 14-day look-ahead stays inside the calendar's data.
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 15))
DAYS_2025_2026 = tuple(date(2025, 1, 1) + timedelta(days=i) for i in range(730))
MAKEUP_DAYS = tuple(d for d in DAYS_2025_2026 if day_kind(d) is DayKind.MAKEUP_WORKDAY)
HOLIDAYS = tuple(d for d in DAYS_2025_2026 if day_kind(d) is DayKind.HOLIDAY)
ORDINARY = (DayKind.WORKDAY, DayKind.WEEKEND)


def plain(text: str) -> OpeningHours:
    """The parser on its own, knowing no holidays."""
    return OpeningHours(text, country=None, auto_country=False, auto_timezone=False)


def ordinary_monday_like(d: date) -> date:
    """An ordinary Monday in the same month as `d` whose Sunday before is an ordinary weekend day too."""
    first = d.replace(day=1)
    mondays = (first + timedelta(days=(7 - first.weekday()) % 7 + 7 * k) for k in range(5))
    for monday in mondays:
        ordinary = (
            day_kind(monday) is DayKind.WORKDAY and day_kind(monday - timedelta(days=1)) is DayKind.WEEKEND
        )
        if monday.month == d.month and ordinary:
            return monday
    raise AssertionError(f"no ordinary Monday in {d:%Y-%m}")


def test_the_strategies_cover_the_interesting_days() -> None:
    assert len(MAKEUP_DAYS) == 11  # 5 in 2025, 6 in 2026
    assert len(HOLIDAYS) == 28 + 33  # every day of every official break, weekends inside included
    assert date(2025, 10, 11) in MAKEUP_DAYS and date(2026, 2, 28) in MAKEUP_DAYS


@settings(max_examples=300, deadline=None)
@given(text=st.sampled_from(EXPRESSIONS), start=moments)
def test_state_holds_until_next_change_and_flips_there(text: str, start: datetime) -> None:
    hours = parse_hours(text)
    state = is_open(hours, at=start)
    change = next_change(hours, at=start)
    if change is None:
        samples = [start + HORIZON * k / 97 for k in range(98)]
    else:
        end = change.replace(tzinfo=None)
        assert start < end <= start + HORIZON
        samples = [start + (end - start) * k / 97 for k in range(97)] + [end - timedelta(seconds=1)]
        assert is_open(hours, at=end) is not state
    assert all(is_open(hours, at=moment) is state for moment in samples if moment >= start)


@settings(max_examples=300, deadline=None)
@given(text=st.sampled_from(WITHOUT_PH + OVERNIGHT), moment=moments)
def test_without_ph_ordinary_days_agree_with_the_plain_parser(text: str, moment: datetime) -> None:
    # The day before matters too: its hours past midnight spill into this one.
    assume(day_kind(moment) in ORDINARY and day_kind(moment - timedelta(days=1)) in ORDINARY)
    assert is_open(parse_hours(text), at=moment) is plain(text).is_open(moment)


@settings(max_examples=300, deadline=None)
@given(
    text=st.sampled_from(WITHOUT_PH + OVERNIGHT + WITH_PH),
    day=st.sampled_from(MAKEUP_DAYS),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_makeup_workdays_follow_an_ordinary_monday(text: str, day: date, minute: int) -> None:
    clock = time(minute // 60, minute % 60)
    if text in OVERNIGHT or "20:00-08:00" in text:
        # Before 08:00 the hours spilling over from the real day before (Friday or Saturday) differ
        # from a Monday's (spilling from Sunday); that case is covered in test_hours.py.
        assume(clock >= time(8))
    monday = ordinary_monday_like(day)
    hours = parse_hours(text)
    expected = is_open(hours, at=datetime.combine(monday, clock))
    assert is_open(hours, at=datetime.combine(day, clock)) is expected
    assert expected is plain(text).is_open(datetime.combine(monday, clock))


@settings(max_examples=200, deadline=None)
@given(
    text=st.sampled_from(WITHOUT_PH + OVERNIGHT),
    day=st.sampled_from(HOLIDAYS),
    minute=st.integers(min_value=0, max_value=24 * 60 - 1),
)
def test_without_ph_statutory_holidays_keep_their_weekday_hours(text: str, day: date, minute: int) -> None:
    assume(day_kind(day - timedelta(days=1)) is not DayKind.MAKEUP_WORKDAY)
    moment = datetime.combine(day, time(minute // 60, minute % 60))
    assert is_open(parse_hours(text), at=moment) is plain(text).is_open(moment)
