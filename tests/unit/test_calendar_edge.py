"""Past the last year the holiday calendar knows: no guesses, and no errors where the answer is still known."""

from __future__ import annotations

from datetime import datetime

import pytest

from stations.errors import CalendarOutOfRange
from stations.geo.crs import Crs
from stations.hours import SHANGHAI, is_open, known_years, next_change, parse_hours
from stations.services.nearest import make_query
from stations.services.opening import opening

LAST = known_years()[1]
WEEKDAYS_PH_CLOSED = "Mo-Su 09:00-17:00; PH closed"


def test_next_change_beyond_the_calendar_is_unknown_not_an_error() -> None:
    # New Year's Eve after closing: the next opening falls in a year without holiday data.
    evening = datetime(LAST, 12, 31, 18, 0, tzinfo=SHANGHAI)
    hours = parse_hours(WEEKDAYS_PH_CLOSED)
    assert is_open(hours, at=evening) is False
    assert next_change(hours, at=evening) is None


def test_a_change_on_the_calendars_last_day_is_still_found() -> None:
    # Holiday-dependent hours on 31 December (never a statutory holiday): the flips that day are known.
    hours = parse_hours(WEEKDAYS_PH_CLOSED)
    morning = datetime(LAST, 12, 31, 8, 0, tzinfo=SHANGHAI)
    assert next_change(hours, at=morning) == datetime(LAST, 12, 31, 9, 0, tzinfo=SHANGHAI)
    assert next_change(hours, at=morning.replace(hour=12)) == datetime(LAST, 12, 31, 17, 0, tzinfo=SHANGHAI)


def test_opening_in_an_unknown_year_says_unknown_for_holiday_hours_only() -> None:
    at = datetime(LAST + 1, 3, 2, 10, 0, tzinfo=SHANGHAI)
    state = opening(status="active", hours=WEEKDAYS_PH_CLOSED, self_service_hours=None, at=at)
    assert state.open is None and state.staffed is None and state.next_change is None
    assert opening(status="active", hours="24/7", self_service_hours=None, at=at).open is True


def test_an_open_filter_in_an_unknown_year_is_refused_up_front() -> None:
    at = datetime(LAST + 1, 3, 2, 10, 0, tzinfo=SHANGHAI)
    with pytest.raises(CalendarOutOfRange, match="upgrade chinesecalendar"):
        make_query(lon=103.83, lat=36.06, crs=Crs.WGS84, at=at, open_only=True)
    assert make_query(lon=103.83, lat=36.06, crs=Crs.WGS84, at=at).at == at  # no filter: answered, open unknown
