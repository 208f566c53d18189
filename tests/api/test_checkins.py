"""Rider check-ins over HTTP: anonymous, rate-limited, "last confirmed open", per-fact dates, flags to staff."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from stations.hours import SHANGHAI
from stations.schemas.trust import CheckinCreate
from stations.services.trust import checkins
from tests.db.test_nearest import insert_station
from tests.support import Clock

NOON = datetime(2026, 12, 2, 12, 0, tzinfo=SHANGHAI)  # a Wednesday
NIGHT = datetime(2026, 12, 2, 23, 0, tzinfo=SHANGHAI)


@pytest.fixture
def station(session: Session) -> int:
    return insert_station(session, lon=103.8343, lat=36.0611, name="城关区示例驿站", hours="Mo-Su 08:00-20:00",
                          amenities=["drinking_water", "microwave"])


def _row(session: Session, station: int) -> tuple[object, ...]:
    return tuple(session.execute(text(
        "SELECT confirmed_open_at, verified_at, hours_checked_on, location_checked_on, quality_score, version "
        "FROM stations WHERE id = :i"), {"i": station}).one())


def test_open_confirms_the_station_without_a_registry_edit(client: TestClient, session: Session, clock: Clock,
                                                           station: int) -> None:
    clock.now = NOON
    reply = client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "open"})
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["outcome"] == "open" and body["during_hours"] is True
    assert datetime.fromisoformat(body["confirmed_open_at"]) == NOON
    _, verified, hours, location, score, version = _row(session, station)
    assert (verified, hours, location, version) == (NOON.date(), NOON.date(), NOON.date(), 1)
    assert score is not None and score > 0
    feature = client.get(f"/api/v1/stations/{station}").json()["properties"]
    assert datetime.fromisoformat(feature["confirmed_open_at"]) == NOON
    assert feature["quality_score"] == score


def test_nothing_about_the_rider_is_stored(session: Session) -> None:
    columns = {c["name"] for c in inspect(session.connection()).get_columns("station_checkins")}
    # tap_key is drawn at random for each tap (a resend carries it): it names no device and links no two taps
    assert columns == {"id", "station_id", "outcome", "amenity", "during_hours", "created_at", "tap_key"}


def test_one_device_counts_once_per_station_an_hour(client: TestClient, station: int) -> None:
    assert client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "closed"}).status_code == 201
    again = client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "closed"})
    assert again.status_code == 429 and "retry-after" in again.headers
    assert "within the hour" in again.json()["detail"]


def test_broken_names_one_of_the_kinds_amenities(client: TestClient, session: Session, station: int) -> None:
    other = insert_station(session, lon=103.835, lat=36.061, name="另一个驿站")
    bad = client.post(f"/api/v1/stations/{other}/checkins", json={"outcome": "broken", "amenity": "nursing_chair"})
    assert bad.status_code == 422 and "nursing_chair" in bad.json()["detail"]
    ok = client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "broken", "amenity": "microwave"})
    assert ok.status_code == 201 and ok.json()["amenity"] == "microwave"
    assert client.post("/api/v1/stations/999999/checkins", json={"outcome": "open"}).status_code == 404
    assert client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "maybe"}).status_code == 422


def test_several_closed_during_posted_hours_flag_the_station(session: Session, station: int) -> None:
    calendar = None  # the package calendar

    def tap(outcome: str, at: datetime) -> None:
        checkins.record(session=session, station_id=station, checkin=CheckinCreate(outcome=outcome), now=at,
                        calendar=calendar or _calendar())

    tap("closed", NIGHT)  # outside posted hours: says nothing about them
    tap("closed", NIGHT)
    tap("closed", NIGHT)
    assert checkins.flagged(session=session, region="11", now=NIGHT) == []
    for _ in range(3):
        tap("closed", NOON)
    [flag] = checkins.flagged(session=session, region="11", now=NOON)
    assert (flag["id"], flag["closed"]) == (station, 3)
    low = _row(session, station)[4]
    tap("open", NOON.replace(hour=13))  # someone found it open afterwards: the flag is answered
    assert checkins.flagged(session=session, region="11", now=NOON.replace(hour=13)) == []
    assert _row(session, station)[4] > low


def _calendar():  # type: ignore[no-untyped-def]
    from stations.hours import package_calendar

    return package_calendar()


def test_quality_endpoint_explains_the_score(client: TestClient, station: int) -> None:
    reply = client.get(f"/api/v1/stations/{station}/quality")
    assert reply.status_code == 200
    body = reply.json()
    assert sum(p["most"] for p in body["parts"]) == 100
    assert body["score"] == max(0, sum(p["points"] for p in body["parts"]))
    assert client.get("/api/v1/stations/999999/quality").status_code == 404
