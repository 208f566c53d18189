"""A tap sent twice with its Idempotency-Key (the map's offline queue resending) is stored once, answered alike."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.db.test_nearest import insert_station

KEY = "tap-0123456789abcdef"
KEYED = {"Idempotency-Key": KEY}


@pytest.fixture
def station(session: Session) -> int:
    return insert_station(session, lon=103.8343, lat=36.0611, name="城关区示例驿站", hours="Mo-Su 00:00-24:00",
                          amenities=["drinking_water"])


def _count(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_report_resent_with_its_key_is_stored_once_and_gets_the_first_receipt(
        client: TestClient, session: Session, station: int) -> None:
    first = client.post(f"/api/v1/stations/{station}/reports", json={"kind": "no_water"}, headers=KEYED)
    again = client.post(f"/api/v1/stations/{station}/reports", json={"kind": "no_water"}, headers=KEYED)
    assert first.status_code == again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert _count(session, "station_reports") == 1


def test_two_taps_with_their_own_keys_are_two_reports(client: TestClient, session: Session, station: int) -> None:
    for key in (KEY, KEY + "x"):
        assert client.post(f"/api/v1/stations/{station}/reports", json={"kind": "was_here"},
                           headers={"Idempotency-Key": key}).status_code == 201
    assert _count(session, "station_reports") == 2


def test_a_key_reused_for_another_report_is_refused(client: TestClient, session: Session, station: int) -> None:
    client.post(f"/api/v1/stations/{station}/reports", json={"kind": "no_water"}, headers=KEYED)
    other = client.post(f"/api/v1/stations/{station}/reports", json={"kind": "closed"}, headers=KEYED)
    assert other.status_code == 409 and "Idempotency-Key" in other.json()["detail"]
    assert _count(session, "station_reports") == 1


def test_a_resent_check_in_is_not_refused_as_a_second_tap_within_the_hour(
        client: TestClient, session: Session, station: int) -> None:
    first = client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "open"},
                        headers=KEYED)
    again = client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "open"},
                        headers=KEYED)
    assert first.status_code == again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    a, b = first.json(), again.json()
    assert datetime.fromisoformat(a.pop("created_at")) == datetime.fromisoformat(b.pop("created_at")) and a == b
    assert _count(session, "station_checkins") == 1
    other = client.post(f"/api/v1/stations/{station}/checkins", json={"outcome": "closed"},
                        headers=KEYED)
    assert other.status_code == 409


@pytest.mark.parametrize("key", [b"short", b"has space in it 1234", b"x" * 65, "键键键键键键键键键键键键".encode()])
def test_a_malformed_key_is_a_422(client: TestClient, station: int, key: bytes) -> None:
    reply = client.post(f"/api/v1/stations/{station}/reports", json={"kind": "other"},
                        headers={"Idempotency-Key": key})
    assert reply.status_code == 422
