"""GET /api/v1/stations/{id}: a GeoJSON Feature in WGS-84, clear errors otherwise."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.geo.crs import Crs, gcj02_to_wgs84
from stations.geo.geodesy import distance_m
from stations.services.registry import stations as service
from tests.factories import station_create


def test_station_is_a_geojson_feature_with_labels(client: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create())
    reply = client.get(f"/api/v1/stations/{station.id}")
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/geo+json")
    assert reply.headers["etag"] == '"1"'
    feature = reply.json()
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [103.8343, 36.0611]}
    props = feature["properties"]
    assert props["kind_label"] == "户外劳动者服务站点"
    assert [a["zh"] for a in props["amenities_detail"]] == ["饮水", "微波炉"]
    assert props["sign_code"] == "620102-Y-00001"
    assert {listing["provider"] for listing in props["listings"]} == {"amap", "baidu", "tencent"}


def test_english_labels_on_request(client: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create())
    props = client.get(f"/api/v1/stations/{station.id}?lang=en").json()["properties"]
    assert props["kind_label"] == "Outdoor worker station"
    assert props["hours_text"] == "Daily 08:00–20:00"


def test_hours_self_service_hours_and_ways_in_in_words(client: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create(
        hours="Mo-Fr 08:30-17:30; PH off", self_service_hours="Mo-Su 17:30-08:30", access_methods=["qr_scan", "face"]))
    props = client.get(f"/api/v1/stations/{station.id}").json()["properties"]
    assert props["hours_text"] == "周一至周五 08:30–17:30，法定节假日休息，调休上班日同周一"
    assert props["self_service_hours_text"] == "每天 17:30–次日08:30"
    assert props["access_text"] == "扫码开门、刷脸开门"


def test_gcj02_registration_is_stored_in_wgs84_with_original_kept(
    client: TestClient, session: Session
) -> None:
    station = service.create(session=session, data=station_create(lon=103.7869, lat=36.0664, crs=Crs.GCJ02))
    feature = client.get(f"/api/v1/stations/{station.id}").json()
    lon, lat = feature["geometry"]["coordinates"]
    expected = gcj02_to_wgs84(103.7869, 36.0664)
    assert distance_m(lon, lat, *expected) < 0.05
    assert distance_m(lon, lat, 103.7869, 36.0664) > 100  # the shift is real, hundreds of metres
    assert feature["properties"]["source_crs"] == "gcj02"
    assert feature["properties"]["source_coordinates"] == [103.7869, 36.0664]


def test_unknown_station_is_404(client: TestClient) -> None:
    reply = client.get("/api/v1/stations/999999999")
    assert reply.status_code == 404
    assert reply.json() == {"detail": "no station with id 999999999"}


@pytest.mark.parametrize("bad", ["abc", "0", "-3"])
def test_malformed_id_is_422_with_a_readable_message(client: TestClient, bad: str) -> None:
    reply = client.get(f"/api/v1/stations/{bad}")
    assert reply.status_code == 422
    assert isinstance(reply.json()["detail"], str)
    assert "station_id" in reply.json()["detail"]
