"""Worker reports over HTTP: validation, receipts, no location unless sent, rate limit, verified_at refresh."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.geo.crs import wgs84_to_gcj02
from stations.hours import SHANGHAI
from tests.db.test_nearest import insert_station


@pytest.fixture
def station(session: Session) -> int:
    return insert_station(session, lon=103.8343, lat=36.0611, name="城关区示例驿站")


def test_report_gets_a_receipt_and_keeps_no_location(client: TestClient, session: Session, station: int) -> None:
    reply = client.post(f"/api/v1/stations/{station}/reports", json={"kind": "no_water", "text": "  没水了\x00 "})
    assert reply.status_code == 201
    receipt = reply.json()
    assert receipt["status"] == "received" and receipt["text"] == "没水了" and receipt["location_sent"] is False
    assert receipt["id"].startswith("R") and len(receipt["id"]) == 10
    location = session.execute(text("SELECT location FROM station_reports WHERE public_id = :p"),
                               {"p": receipt["id"]}).scalar_one()
    assert location is None
    again = client.get(f"/api/v1/reports/{receipt['id'].lower()}")
    assert again.status_code == 200 and again.json()["id"] == receipt["id"]


def test_location_is_stored_in_wgs84_only_when_sent(client: TestClient, session: Session, station: int) -> None:
    glon, glat = wgs84_to_gcj02(103.8343, 36.0611)
    reply = client.post(f"/api/v1/stations/{station}/reports",
                        json={"kind": "wrong_place", "location": {"lon": glon, "lat": glat, "crs": "gcj02"}})
    assert reply.status_code == 201 and reply.json()["location_sent"] is True
    lon, lat = session.execute(text("SELECT ST_X(location), ST_Y(location) FROM station_reports")).one()
    assert abs(lon - 103.8343) < 1e-6 and abs(lat - 36.0611) < 1e-6


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "on_fire"}, "kind: Input should be"),
        ({"kind": "other", "text": "x" * 501}, "at most 500 characters"),
        ({"kind": "other", "ip": "1.2.3.4"}, "Extra inputs are not permitted"),
        ({"kind": "other", "location": {"lon": -74.0, "lat": 40.7}}, "outside China"),
    ],
)
def test_invalid_reports_say_why(client: TestClient, station: int, body: dict[str, object], message: str) -> None:
    reply = client.post(f"/api/v1/stations/{station}/reports", json=body)
    assert reply.status_code == 422 and message in reply.json()["detail"]


def test_unknown_station_and_receipt_are_404(client: TestClient) -> None:
    assert client.post("/api/v1/stations/999999/reports", json={"kind": "closed"}).status_code == 404
    assert client.get("/api/v1/reports/R000000000").status_code == 404


def test_rate_limited_per_client_with_retry_after(client: TestClient, station: int) -> None:
    limit = client.app.state.settings.reports_per_hour  # type: ignore[attr-defined]
    for _ in range(limit):
        assert client.post(f"/api/v1/stations/{station}/reports", json={"kind": "other"}).status_code == 201
    reply = client.post(f"/api/v1/stations/{station}/reports", json={"kind": "other"})
    assert reply.status_code == 429 and int(reply.headers["Retry-After"]) > 0
    assert "try again" in reply.json()["detail"]


def test_i_was_here_refreshes_verified_at_without_a_registry_edit(
    client: TestClient, session: Session, station: int
) -> None:
    before = session.execute(text("SELECT version, updated_at FROM stations WHERE id = :i"), {"i": station}).one()
    today = datetime.now(SHANGHAI).date()
    assert client.post(f"/api/v1/stations/{station}/reports", json={"kind": "was_here"}).status_code == 201
    after = session.execute(text("SELECT version, updated_at, verified_at FROM stations WHERE id = :i"),
                            {"i": station}).one()
    assert after.verified_at in {today, datetime.now(SHANGHAI).date()}  # today, in Shanghai
    assert (after.version, after.updated_at) == (before.version, before.updated_at)
    changes = session.execute(text("SELECT count(*) FROM station_changes WHERE station_id = :i"), {"i": station})
    assert changes.scalar_one() == 0
