"""Hours nobody gave are stored as `unknown`: never open in the nearest lookup, blank in providers' files."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from stations.hours import UNKNOWN, is_unknown, package_calendar, parse_hours
from stations.nearest.opening import opening
from stations.services.feeds.export_records import TARGETS, ExportFormat, plain_record, provider_record

NOON = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Shanghai


def test_unknown_is_valid_opening_hours_and_recognised_in_either_spelling() -> None:
    assert parse_hours(UNKNOWN).text == "24/7 unknown"
    assert is_unknown("unknown") and is_unknown("24/7 unknown") and not is_unknown("24/7") and not is_unknown(None)


def test_the_nearest_lookup_never_calls_unknown_hours_open() -> None:
    state = opening(status="active", hours=UNKNOWN, self_service_hours=None, at=NOON, calendar=package_calendar())
    assert (state.open, state.staffed, state.open_if_ordinary, state.hours_unknown) == (None, None, False, True)
    self_service = opening(status="active", hours=UNKNOWN, self_service_hours="24/7", at=NOON,
                           calendar=package_calendar())
    assert (self_service.open, self_service.self_service, self_service.open_if_ordinary) == (True, True, True)
    closed = opening(status="closed", hours=UNKNOWN, self_service_hours=None, at=NOON, calendar=package_calendar())
    assert closed.open is False


def _row(hours: str) -> dict[str, Any]:
    return {"id": 1, "sign_code": "620102-Y-00001", "kind": "outdoor_station", "name": "甲", "address": "乙",
            "adcode": "620102", "lon": 103.83, "lat": 36.06, "hours": hours, "self_service_hours": None,
            "amenities": [], "phone": None, "status": "active", "updated_at": NOON, "access_methods": [],
            "star_rating": None, "star_rule_version": None, "quality_score": None, "verified_at": None}


def test_providers_get_no_hours_rather_than_the_word_unknown() -> None:
    assert provider_record(_row(UNKNOWN), TARGETS[ExportFormat.AMAP])[7] == ""  # type: ignore[arg-type]
    assert provider_record(_row("24/7"), TARGETS[ExportFormat.AMAP])[7] == "全天24小时开放"  # type: ignore[arg-type]
    plain = plain_record(_row(UNKNOWN))  # type: ignore[arg-type]
    assert plain[9] == UNKNOWN, "our own exports keep the opening_hours value"
    assert plain[15] == "开放时间未知", "and say it in words beside it"
