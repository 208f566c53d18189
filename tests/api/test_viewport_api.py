"""GET /api/v1/stations?bbox=: markers when few, PostGIS clusters with true counts when many."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from tests.db.test_nearest import insert_station

URL = "/api/v1/stations"


def test_few_stations_come_as_markers(client: TestClient, session: Session) -> None:
    inside = insert_station(session, lon=116.40, lat=39.90)
    insert_station(session, lon=117.50, lat=39.90)  # outside the box
    body = client.get(URL, params={"bbox": "116.3,39.8,116.5,40.0"}).json()
    assert body["mode"] == "stations"
    assert [f["id"] for f in body["features"]] == [inside]


def test_many_stations_come_as_bounded_clusters_with_exact_total(
    client: TestClient, connection: Connection
) -> None:
    connection.execute(text(
        "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
        "SELECT 'outdoor_station', '示例', '示例', '110101', "
        "ST_SetSRID(ST_MakePoint(116 + (i % 100) / 100.0, 39.5 + (i / 100) / 100.0), 4326), 'V-' || i "
        "FROM generate_series(0, 2999) AS i"
    ))
    body = client.get(URL, params={"bbox": "115.9,39.4,117.1,40.6"}).json()
    assert body["mode"] == "clusters"
    assert len(body["features"]) <= 500
    assert sum(f["properties"]["count"] for f in body["features"]) == 3000


def test_a_district_viewport_of_many_stations_is_clusters_with_exact_totals_filtered_or_not(
    client: TestClient, connection: Connection
) -> None:
    """A viewport whose grid is finer than the aggregates' finest cells: read from those cells, by kind or not."""
    connection.execute(text(
        "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
        "SELECT CASE WHEN i % 4 = 0 THEN 'mothers_room' ELSE 'outdoor_station' END, '示例', '示例', '110101', "
        "ST_SetSRID(ST_MakePoint(116.3975 + (i % 60) / 25000.0, 39.8985 + (i / 60) / 25000.0), 4326), 'Q-' || i "
        "FROM generate_series(0, 2399) AS i"
    ))
    bbox = {"bbox": "116.38,39.88,116.42,39.92"}  # the stations fill one cell of level 9 in its middle
    for params, total in ((bbox, 2400), (bbox | {"kind": "mothers_room"}, 600)):
        body = client.get(URL, params=params).json()
        assert body["mode"] == "clusters" and len(body["features"]) <= 500
        assert sum(f["properties"]["count"] for f in body["features"]) == total


@pytest.mark.parametrize(
    ("bbox", "message"),
    [("1,2,3", "four numbers"), ("117,39,116,40", "west < east"), ("a,b,c,d", "four numbers"), ("nan,1,2,3", "finite")],
)
def test_bad_bbox_is_explained(client: TestClient, bbox: str, message: str) -> None:
    reply = client.get(URL, params={"bbox": bbox})
    assert reply.status_code == 422
    assert message in reply.json()["detail"]
