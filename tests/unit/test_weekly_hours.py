"""A timetable's 168 hours agree with the nearest lookup's own judgement of an active station at every hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from stations.hours import package_calendar
from stations.nearest.opening import opening
from stations.services.coverage.weekly import HOURS_OF_WEEK, REFERENCE_MONDAY, open_hours

TIMETABLES = [("24/7", None), ("Mo-Fr 08:00-18:00", None), ("Mo-Su 20:00-02:00", None), ("unknown", None),
              ("unknown", "Mo-Su 00:00-24:00"), ("Mo-Fr 09:00-17:00", "Mo-Su 17:00-22:00"),
              ("Mo-Fr 08:30-17:30; PH off", None), ("Sa-Su 10:00-16:00", "Mo 07:00-09:00")]


@pytest.mark.parametrize(("hours", "self_service"), TIMETABLES)
def test_open_hours_match_the_lookup(hours: str, self_service: str | None) -> None:
    expected = "".join(
        "1" if opening(status="active", hours=hours, self_service_hours=self_service,
                       at=REFERENCE_MONDAY + timedelta(hours=h, minutes=30),
                       calendar=package_calendar()).open_if_ordinary else "0"
        for h in range(HOURS_OF_WEEK))
    assert open_hours(hours, self_service) == expected


def test_a_daytime_station_is_open_at_noon_not_at_22() -> None:
    bits = open_hours("Mo-Fr 08:00-18:00", None)
    assert bits[12] == "1" and bits[22] == "0" and bits[5 * 24 + 12] == "0"  # Monday noon, Monday 22:00, Saturday
    assert open_hours("not hours at all", None) == "0" * HOURS_OF_WEEK
