"""Opening hours evaluated with China's real holidays, 调休 days and hours past midnight (2025/2026 dates)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from opening_hours import OpeningHours

from stations.errors import InvalidHours
from stations.hours import SHANGHAI, Hours, is_open, judge, next_change, parse_hours


def at(text: str) -> datetime:
    """A naive Shanghai wall-clock time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text)


def cst(text: str) -> datetime:
    """An aware Shanghai time from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


OFFICE = "Mo-Fr 09:00-17:00; PH off"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("2025-10-01 10:00", False),  # National Day (Wednesday)
        ("2025-10-08 10:00", False),  # last day of the break (Wednesday)
        ("2025-10-09 10:00", True),  # back to work
        ("2025-10-11 10:00", True),  # make-up Saturday
        ("2025-09-28 10:00", True),  # make-up Sunday
        ("2025-10-12 10:00", False),  # ordinary Sunday
        ("2026-02-17 10:00", False),  # Spring Festival (Tuesday); the parser's own CN list misses it
        ("2026-02-23 10:00", False),  # Spring Festival, last day (Monday)
        ("2026-02-14 10:00", True),  # make-up Saturday before Spring Festival
        ("2026-02-28 10:00", True),  # make-up Saturday after it
        ("2026-02-24 10:00", True),
        ("2026-02-24 17:00", False),  # the end of a range is closed
    ],
)
def test_office_hours_close_on_statutory_holidays_and_open_on_makeup_days(when: str, expected: bool) -> None:
    assert is_open(parse_hours(OFFICE), at=at(when)) is expected


def test_holiday_hours_replace_the_daily_hours_only_on_holidays() -> None:
    hours = parse_hours("Mo-Su 08:00-22:00; PH 10:00-16:00")
    holiday = [is_open(hours, at=at(f"2025-10-04 {t}")) for t in ("09:00", "12:00", "17:00")]
    sunday = [is_open(hours, at=at(f"2025-10-12 {t}")) for t in ("09:00", "12:00", "21:00")]
    assert holiday == [False, True, False]
    assert sunday == [True, True, True]
    assert next_change(hours, at=at("2025-10-03 21:00")) == cst("2025-10-04 10:00")
    assert next_change(hours, at=at("2025-10-08 17:00")) == cst("2025-10-09 08:00")


def test_next_change_skips_the_whole_national_day_break() -> None:
    hours = parse_hours(OFFICE)
    assert next_change(hours, at=at("2025-09-30 12:00")) == cst("2025-09-30 17:00")
    assert next_change(hours, at=at("2025-09-30 17:00")) == cst("2025-10-09 09:00")
    assert next_change(hours, at=at("2025-10-10 17:30")) == cst("2025-10-11 09:00")  # make-up Saturday


def test_hours_past_midnight_spill_into_the_next_morning() -> None:
    hours = parse_hours("Fr 20:00-02:00")
    assert is_open(hours, at=at("2025-10-17 23:00"))
    assert is_open(hours, at=at("2025-10-18 01:59"))
    assert not is_open(hours, at=at("2025-10-18 02:00"))
    assert next_change(hours, at=at("2025-10-17 21:00")) == cst("2025-10-18 02:00")
    assert next_change(hours, at=at("2025-10-18 03:00")) == cst("2025-10-24 20:00")


def test_night_shift_follows_makeup_days_into_the_following_morning() -> None:
    hours = parse_hours("Mo-Fr 22:00-06:00")
    assert is_open(hours, at=at("2025-10-11 03:00"))  # Friday night's shift
    assert is_open(hours, at=at("2025-10-11 23:00"))  # make-up Saturday works like a weekday
    assert is_open(hours, at=at("2025-10-12 05:00"))  # ...so its shift runs into Sunday morning
    assert next_change(hours, at=at("2025-10-12 05:00")) == cst("2025-10-12 06:00")
    assert not is_open(hours, at=at("2025-10-19 05:00"))  # an ordinary Sunday morning
    assert not is_open(hours, at=at("2025-10-18 23:00"))  # an ordinary Saturday night


def test_a_holiday_rule_overrides_the_previous_nights_spill() -> None:
    hours = parse_hours("Mo-Fr 22:00-06:00; PH off")
    assert is_open(hours, at=at("2025-09-30 23:00"))
    assert next_change(hours, at=at("2025-09-30 23:00")) == cst("2025-10-01 00:00")
    assert not is_open(hours, at=at("2025-10-01 03:00"))
    assert not is_open(hours, at=at("2025-10-08 23:00"))
    # Inherited from the parser: "PH off" does not reach into the next (working) morning.
    assert is_open(hours, at=at("2025-10-09 03:00"))


def test_holiday_eve_offset_selects_the_day_before_the_break() -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00; PH -1 day 09:00-12:00; PH off")
    assert not is_open(hours, at=at("2025-09-30 14:00"))  # eve of National Day: mornings only
    assert is_open(hours, at=at("2025-09-30 11:00"))
    assert is_open(hours, at=at("2025-09-29 14:00"))


def test_always_open_never_changes() -> None:
    hours = parse_hours("24/7")
    assert is_open(hours, at=at("2025-10-01 03:00"))
    assert next_change(hours, at=at("2026-02-17 12:00")) is None


def test_always_open_except_holidays() -> None:
    hours = parse_hours("24/7; PH closed")
    assert is_open(hours, at=at("2025-09-30 23:59"))
    assert next_change(hours, at=at("2025-09-30 12:00")) == cst("2025-10-01 00:00")
    assert next_change(hours, at=at("2025-10-01 12:00")) == cst("2025-10-09 00:00")


def test_off_rules_comments_and_unknown() -> None:
    hours = parse_hours('Mo-Fr 08:00-18:00 "午休照常"; We off; Sa 09:00-12:00 unknown "call ahead"')
    assert is_open(hours, at=at("2025-10-13 12:30"))  # the comment does not close it
    assert not is_open(hours, at=at("2025-10-15 12:30"))  # Wednesday off
    assert not is_open(hours, at=at("2025-10-18 10:00"))  # unknown is not open
    assert next_change(hours, at=at("2025-10-14 17:00")) == cst("2025-10-14 18:00")


def test_comments_that_mention_days_are_left_alone() -> None:
    hours = parse_hours('Mo-Fr 09:00-17:00 "Sa PH by appointment"; PH off')
    assert hours.text.endswith("PH closed")
    assert '"Sa PH by appointment"' in hours.text
    assert is_open(hours, at=at("2025-10-11 10:00"))
    assert not is_open(hours, at=at("2025-10-02 10:00"))


def test_aware_times_are_converted_to_shanghai() -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00")
    utc_morning = datetime(2025, 10, 9, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    assert is_open(hours, at=utc_morning)
    assert not is_open(hours, at=utc_morning.replace(tzinfo=None))  # naive means Shanghai 01:30
    change = next_change(hours, at=utc_morning)
    assert change == cst("2025-10-09 17:00") and change is not None and change.tzinfo is SHANGHAI


def test_parse_normalises_and_is_immutable() -> None:
    hours = parse_hours("  Mo-Fr 09:00-17:00;PH off ")
    assert hours == Hours(text="Mo-Fr 09:00-17:00; PH closed")
    assert str(hours) == hours.text
    with pytest.raises(AttributeError):
        hours.text = "24/7"  # type: ignore[misc]


def test_positive_holiday_offsets_survive_normalisation() -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00; PH +1 day off")
    assert hours.text == "Mo-Fr 09:00-17:00; PH +1 days closed"
    assert not is_open(hours, at=at("2025-10-09 10:00"))  # the day after the break's last day
    assert is_open(hours, at=at("2025-10-10 10:00"))


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_hours_are_invalid(text: str) -> None:
    with pytest.raises(InvalidHours, match="empty"):
        parse_hours(text)


@pytest.mark.parametrize("text", ["Mo-Fr 25:00-26:00", "garbage", "Mo-Fr 09:00-17:00;;", "Mo-Fr 9-17"])
def test_invalid_syntax_carries_the_parsers_message_and_no_guess(text: str) -> None:
    with pytest.raises(Exception) as parser_error:  # the parser's error type is not in its stub
        OpeningHours(text, country=None, auto_country=False, auto_timezone=False)
    with pytest.raises(InvalidHours) as raised:
        parse_hours(text)
    assert str(parser_error.value).strip() in raised.value.message
    assert "Did you mean" not in raised.value.message


@pytest.mark.parametrize(
    ("prose", "suggestion"),
    [
        ("早8点到晚6点", "Mo-Su 08:00-18:00"),
        ("早上8点半至晚上9点", "Mo-Su 08:30-21:00"),
        ("8：00—18：00", "Mo-Su 08:00-18:00"),
        ("周一至周五 上午8:30-下午5:30", "Mo-Fr 08:30-17:30"),
        ("工作日 9:00-12:00，14:00-17:30", "Mo-Fr 09:00-12:00,14:00-17:30; PH off"),  # working days: no holidays
        ("24小时开放", "24/7"),
        ("周一至周五 9:00-17:00 节假日休息", "Mo-Fr 09:00-17:00; PH off"),
        ("周一至周五 9:00-17:00，节假日除外", "Mo-Fr 09:00-17:00; PH off"),
        ("周一至周五8:30-17:30，周六日及节假日休息", "Mo-Fr 08:30-17:30; Sa,Su off; PH off"),
        ("周一至周五 9:00-12:00，14:00-17:30，周六 9:00-12:00", "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"),
        ("周六、周日 10:00-16:00", "Sa,Su 10:00-16:00"),
    ],
)
def test_chinese_prose_gets_a_working_suggestion(prose: str, suggestion: str) -> None:
    with pytest.raises(InvalidHours) as raised:
        parse_hours(prose)
    assert f"Did you mean {suggestion!r}?" in raised.value.message
    assert "expected" in raised.value.message  # the parser's own explanation is still there
    assert parse_hours(suggestion).text  # the suggestion itself is valid


def test_unrecognised_chinese_prose_gets_no_suggestion() -> None:
    with pytest.raises(InvalidHours) as raised:
        parse_hours("节假日请电话预约")
    assert "Did you mean" not in raised.value.message


def test_next_change_goes_on_past_the_published_years() -> None:
    hours = parse_hours("Mo-Fr 09:00-17:00")
    assert next_change(hours, at=at("2026-12-30 20:00")) == cst("2026-12-31 09:00")
    # 2027 is not published in chinesecalendar 1.11: its days count as ordinary weekdays (see test_calendar_edge).
    assert next_change(hours, at=at("2026-12-31 18:00")) == cst("2027-01-01 09:00")


def test_hours_that_ignore_weekdays_and_holidays_are_certain_in_any_year() -> None:
    cases = (("24/7", "2030-01-02 03:00", True), ("Mo-Su 08:00-20:00", "2030-01-02 21:00", False))
    for text, moment, expected in cases:
        verdict = judge(parse_hours(text), at=at(moment))
        assert (verdict.open, verdict.provisional) == (expected, False)
    for weekday_bound in ("Mo-Sa 08:00-20:00", "Mo[1],Tu-Su 08:00-20:00", "Mo-Su,PH -1 day 08:00-20:00"):
        assert is_open(parse_hours(weekday_bound), at=at("2030-01-07 10:00"))  # an ordinary Monday, provisionally
