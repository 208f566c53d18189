"""A year whose holiday schedule is not published: answered provisionally, never refused; and the year boundary."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.geo.crs import Crs
from stations.hours import SHANGHAI, DayKind, HolidayCalendar, OfficialDay, is_open, judge, next_change, parse_hours
from stations.hours.calendar import package_calendar
from stations.nearest import make_query
from stations.nearest.opening import opening

UNPUBLISHED = HolidayCalendar([], [2026])  # 2027 not published: provisional
OFFICE = "Mo-Fr 08:30-17:30; PH off"


def cst(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("hours", "when", "open_", "provisional", "ordinary"),
    [
        ("24/7", "2027-03-02 10:00", True, False, True),  # needs no calendar
        ("Mo-Su 08:00-20:00", "2027-03-06 21:00", False, False, False),
        ("Mo-Fr 09:00-17:00", "2027-03-02 10:00", True, False, True),  # a Tuesday is never a make-up day
        ("Mo-Fr 09:00-17:00", "2027-03-06 10:00", False, True, False),  # a Saturday might be a make-up workday
        (OFFICE, "2027-03-02 10:00", None, True, True),  # a PH rule: the Tuesday might be a holiday
        (OFFICE, "2027-03-02 20:00", False, False, False),  # closed either way
        (OFFICE, "2027-03-06 10:00", False, True, False),  # Saturday: closed unless it turns out a make-up day
        (OFFICE, "2027-01-01 10:00", False, False, False),  # 元旦: the law fixes it, whatever the notice says
        (OFFICE, "2027-10-02 10:00", False, False, False),  # 国庆节 (Saturday) is a holiday by law
        ("Sa,Su,PH 09:00-18:00", "2027-03-02 10:00", None, True, False),  # open only if it is a holiday
    ],
)
def test_an_unpublished_year_is_judged_on_ordinary_days_and_says_how_sure(
    hours: str, when: str, open_: bool | None, provisional: bool, ordinary: bool
) -> None:
    verdict = judge(parse_hours(hours), at=cst(when), calendar=UNPUBLISHED)
    assert (verdict.open, verdict.provisional, verdict.open_if_ordinary) == (open_, provisional, ordinary)


def test_hours_past_midnight_are_doubtful_when_yesterday_is() -> None:
    # Saturday 02:00 runs on Friday's night shift, which a holiday on Saturday would cut at midnight (PH off).
    hours = parse_hours("Mo-Fr 22:00-06:00; PH off")
    verdict = judge(hours, at=cst("2027-03-06 02:00"), calendar=UNPUBLISHED)
    assert verdict.open is None and verdict.open_if_ordinary is True


SAMPLE_HOURS = ("24/7", "Mo-Fr 09:00-17:00", OFFICE, "Mo-Su 08:00-22:00; PH 10:00-16:00", "Sa,Su,PH 09:00-18:00",
                "Mo-Fr 22:00-06:00; PH off", "Mo-Sa 08:00-20:00", "Mo-Fr 20:00-08:00; Sa 10:00-12:00")


@given(text=st.sampled_from(SAMPLE_HOURS),
       moment=st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(2027, 12, 31, 23, 59)))
def test_a_certain_answer_holds_whatever_the_notice_adds(text: str, moment: datetime) -> None:
    """Certain means no holiday or make-up workday the notice could still add, today or yesterday, changes it."""
    hours = parse_hours(text)
    verdict = judge(hours, at=moment, calendar=UNPUBLISHED)
    assert verdict.open_if_ordinary == is_open(hours, at=moment, calendar=UNPUBLISHED)
    alternatives = [is_open(hours, at=moment, calendar=UNPUBLISHED.assuming(day, kind))
                    for day in (moment.date() - timedelta(days=1), moment.date())
                    if not UNPUBLISHED.is_settled(day)
                    for kind in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY)
                    if kind is DayKind.HOLIDAY or day.weekday() >= 5]
    if not verdict.provisional:
        assert set(alternatives) <= {verdict.open}
    if verdict.open is None:
        assert len(set(alternatives) | {verdict.open_if_ordinary}) == 2


def test_an_open_filter_in_an_unpublished_year_is_answered_not_refused() -> None:
    at = cst("2027-03-02 10:00")
    query = make_query(lon=103.83, lat=36.06, crs=Crs.WGS84, at=at, open_only=True, calendar=UNPUBLISHED)
    assert query.open_only and query.calendar is UNPUBLISHED


def test_opening_keeps_a_holiday_doubt_in_the_open_filter_and_marks_it() -> None:
    at = cst("2027-03-02 10:00")
    office = opening(status="active", hours=OFFICE, self_service_hours=None, at=at, calendar=UNPUBLISHED)
    assert office.open is None and office.provisional and office.open_if_ordinary
    assert office.next_change == cst("2027-03-02 17:30")  # on an ordinary day
    always = opening(status="active", hours="24/7", self_service_hours=None, at=at, calendar=UNPUBLISHED)
    assert always.open is True and not always.provisional
    # Staffed hours in doubt, self-service certain and open: open, whatever the holiday.
    both = opening(status="active", hours=OFFICE, self_service_hours="Mo-Su 00:00-24:00", at=at,
                   calendar=UNPUBLISHED)
    assert both.open is True and both.self_service


NEW_YEAR_BREAK = HolidayCalendar(
    [OfficialDay(date(2027, 12, 31), DayKind.HOLIDAY, "元旦"), OfficialDay(date(2028, 1, 1), DayKind.HOLIDAY, "元旦"),
     OfficialDay(date(2028, 1, 2), DayKind.HOLIDAY, "元旦")],
    [2027, 2028],
)


def test_a_holiday_block_spanning_new_year() -> None:
    hours = parse_hours(OFFICE)
    assert not is_open(hours, at=cst("2027-12-31 10:00"), calendar=NEW_YEAR_BREAK)
    assert next_change(hours, at=cst("2027-12-30 18:00"), calendar=NEW_YEAR_BREAK) == cst("2028-01-03 08:30")
    assert judge(hours, at=cst("2028-01-01 10:00"), calendar=NEW_YEAR_BREAK).provisional is False


def test_new_years_eve_at_23_30_with_hours_past_midnight() -> None:
    hours = parse_hours("Mo-Su 20:00-02:00; PH 20:00-23:00")
    # 2026-12-31 is an ordinary Thursday of a published year; 2027-01-01 is a holiday (by law, not yet published).
    calendar = package_calendar()
    assert is_open(hours, at=cst("2026-12-31 23:30"), calendar=calendar)
    # The holiday's own rule replaces the night shift's spill into it: closed at midnight, open 20:00-23:00.
    assert next_change(hours, at=cst("2026-12-31 23:30"), calendar=calendar) == cst("2027-01-01 00:00")
    assert next_change(hours, at=cst("2027-01-01 00:30"), calendar=calendar) == cst("2027-01-01 20:00")
    assert next_change(hours, at=cst("2027-01-01 21:00"), calendar=calendar) == cst("2027-01-01 23:00")
    # The ordinary night after (Saturday 2 January, provisional) runs 20:00-02:00 again.
    assert next_change(hours, at=cst("2027-01-02 12:00"), calendar=calendar) == cst("2027-01-02 20:00")


def test_next_change_runs_on_into_a_year_chinesecalendar_does_not_know() -> None:
    # 31 December 2026 (Thursday) after closing: the next opening is Friday 1 January 2027, a holiday by law but
    # with no PH rule in these hours; the package's calendar ends with 2026 and the answer still comes.
    assert next_change(parse_hours("Mo-Fr 09:00-17:00"), at=cst("2026-12-31 18:00")) == cst("2027-01-01 09:00")
    assert next_change(parse_hours(OFFICE), at=cst("2026-12-31 18:00")) == cst("2027-01-04 08:30")
