"""GET /api/v1/stations/nearest over HTTP: the contract, navigation links, clear 4xx messages."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, urlparse

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stations.api.errors import install_error_handlers
from stations.geo.crs import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_gcj02
from stations.geo.geodesy import distance_m
from stations.hours import SHANGHAI
from stations.nearest import Nearest
from stations.nearest import http as nearest_http
from stations.services.holidays import LiveCalendar
from tests.db.test_nearest import insert_station
from tests.support import Registry

URL = "/api/v1/stations/nearest"


@pytest.fixture
def two_stations(registry: Registry) -> tuple[int, int]:
    first = insert_station(registry, lon=103.8343, lat=36.0611, name="城关区示例驿站",
                           amenities=["drinking_water", "microwave"], hours="Mo-Fr 09:00-17:00; PH off")
    second = insert_station(registry, lon=103.8443, lat=36.0611, name="<img src=x onerror=alert(1)>")
    return first, second


def test_reply_is_a_sorted_feature_collection(client: TestClient, two_stations: tuple[int, int]) -> None:
    reply = client.get(URL, params={"lon": 103.834, "lat": 36.061, "open_at": "2026-03-02T10:00:00"})
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("application/geo+json")
    body = reply.json()
    assert body["type"] == "FeatureCollection" and body["coordinate_system"] == "wgs84"
    assert [f["id"] for f in body["features"]] == list(two_stations)
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert distances == sorted(distances) and distances[0] < 50
    props = body["features"][0]["properties"]
    assert props["open"] is True
    assert props["next_change"] == "2026-03-02T17:00:00+08:00"
    assert props["walking_minutes"] == 1
    assert [a["label"] for a in props["amenities"]] == ["饮水", "微波炉"]
    assert body["features"][1]["properties"]["name"] == "<img src=x onerror=alert(1)>"  # data, not markup


def test_hours_travel_in_words_beside_the_expression(client: TestClient, two_stations: tuple[int, int]) -> None:
    zh = client.get(URL, params={"lon": 103.834, "lat": 36.061}).json()["features"]
    en = client.get(URL, params={"lon": 103.834, "lat": 36.061, "lang": "en"}).json()["features"]
    assert zh[0]["properties"]["hours"] == "Mo-Fr 09:00-17:00; PH off"  # inserted as written, said all the same
    assert zh[0]["properties"]["hours_text"] == "周一至周五 09:00–17:00，法定节假日休息，调休上班日同周一"
    assert en[0]["properties"]["hours_text"].startswith("Mon–Fri 09:00–17:00; closed on public holidays")
    assert [f["properties"]["hours_text"] for f in (zh[1], en[1])] == ["全天24小时开放", "Open 24 hours, every day"]
    assert zh[1]["properties"]["self_service_hours_text"] is None and zh[1]["properties"]["access_text"] is None


def test_statutory_holiday_closes_a_ph_off_station(client: TestClient, two_stations: tuple[int, int]) -> None:
    national_day = {"lon": 103.834, "lat": 36.061, "open_at": "2025-10-02T10:00:00"}
    features = client.get(URL, params=national_day).json()["features"]
    assert [f["id"] for f in features] == [two_stations[1]]  # the 24/7 one only


def test_navigation_links_use_each_apps_coordinate_system(
    client: TestClient, two_stations: tuple[int, int]
) -> None:
    feature = client.get(URL, params={"lon": 103.834, "lat": 36.061, "limit": 1}).json()["features"][0]
    nav = feature["properties"]["navigation"]
    amap_to = parse_qs(urlparse(nav["amap"]).query)["to"][0].split(",")
    assert distance_m(*gcj02_to_wgs84(float(amap_to[0]), float(amap_to[1])), 103.8343, 36.0611) < 0.5
    blat, blon = parse_qs(urlparse(nav["baidu"]).query)["destination"][0].split("|")[0][7:].split(",")
    assert distance_m(*bd09_to_wgs84(float(blon), float(blat)), 103.8343, 36.0611) < 0.5
    tlat, tlon = parse_qs(urlparse(nav["tencent"]).query)["tocoord"][0].split(",")
    assert distance_m(*gcj02_to_wgs84(float(tlon), float(tlat)), 103.8343, 36.0611) < 0.5
    assert nav["geo"].startswith("geo:36.061100,103.834300")


def test_gcj02_query_and_output(client: TestClient, two_stations: tuple[int, int]) -> None:
    glon, glat = wgs84_to_gcj02(103.8343, 36.0611)
    body = client.get(URL, params={"lon": glon, "lat": glat, "crs": "gcj02", "out_crs": "gcj02"}).json()
    assert body["coordinate_system"] == "gcj02"
    assert body["features"][0]["properties"]["distance_m"] < 0.5
    lon, lat = body["features"][0]["geometry"]["coordinates"]
    assert distance_m(lon, lat, glon, glat) < 0.05


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"lat": 36.06}, 422, "lon is required: give decimal degrees such as lon="),
        ({"lon": "abc", "lat": 36.06}, 422, "lon must be a number, got 'abc'"),
        ({"lon": "nan", "lat": 36.06}, 422, "not a number"),
        ({"lon": 36.06, "lat": 103.83}, 422, "swapped"),
        ({"lon": 200, "lat": 36.06}, 422, "out of range"),
        ({"lon": -74.0, "lat": 40.7}, 422, "outside China"),
        ({"lon": 103.8, "lat": 36.06, "kind": "spa"}, 422, "valid kinds: outdoor_station, mothers_room"),
        ({"lon": 103.8, "lat": 36.06, "amenities": "toilet"}, 422, "unknown parameter 'amenities'; the nearest"),
        ({"lon": [103.8, 103.9], "lat": 36.06}, 422, "lon is given 2 times; give it once"),
        ({"lon": 103.8, "lat": 36.06, "limit": "ten"}, 422, "limit must be a whole number, got 'ten'"),
        ({"lon": 103.8, "lat": 36.06, "open_now": "maybe"}, 422, "open_now must be true or false"),
        ({"lon": 103.8, "lat": 36.06, "open_at": "tomorrow"}, 422, "open_at must be an ISO datetime such as"),
        ({"lon": 103.8, "lat": 36.06, "group": "city"}, 422, "group must be one of station, site"),
        ({"lon": 103.8, "lat": 36.06, "out_crs": "epsg3857"}, 422, "out_crs must be one of wgs84, gcj02, bd09"),
        ({"lon": 103.8, "lat": 36.06, "amenity": "按摩椅"}, 422, "valid amenities: "),
        ({"lon": 103.8, "lat": 36.06, "radius_m": 0}, 422, "radius_m must be between"),
        ({"lon": 103.8, "lat": 36.06, "limit": 101}, 422, "limit must be between 1 and 100"),
        ({"lon": 103.8, "lat": 36.06, "open_at": "2026-05-01T10:00", "open_now": "true"}, 422, "not both"),
    ],
)
def test_bad_input_gets_an_actionable_message(
    client: TestClient, two_stations: tuple[int, int], params: dict[str, object], status: int, message: str
) -> None:
    reply = client.get(URL, params=params)  # type: ignore[arg-type]
    assert reply.status_code == status
    assert message in reply.json()["detail"]


def test_open_at_with_an_unencoded_plus_offset_still_means_beijing_time(
    client: TestClient, two_stations: tuple[int, int]
) -> None:
    # A hand-typed URL sends "+08:00" unencoded, which a query string reads as " 08:00".
    url = f"{URL}?lon=103.834&lat=36.061&open_at=2026-03-02T16:59:00+08:00"
    body = client.get(url).json()
    assert body["at"] == "2026-03-02T16:59:00+08:00"
    assert [f["id"] for f in body["features"]] == list(two_stations)  # the 09:00-17:00 one is still open


def test_the_lookup_is_documented_in_openapi(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"][URL]["get"]
    names = [p["name"] for p in operation["parameters"]]
    assert names[:2] == ["lon", "lat"] and {"kind", "amenity", "open_now", "radius_m", "out_crs"} <= set(names)
    assert next(p for p in operation["parameters"] if p["name"] == "kind")["schema"]["type"] == "array"


def test_chinese_amenity_labels_filter(client: TestClient, two_stations: tuple[int, int]) -> None:
    features = client.get(URL, params={"lon": 103.834, "lat": 36.061, "amenity": "微波炉"}).json()["features"]
    assert [f["id"] for f in features] == [two_stations[0]]


class Failing:
    """Reads that fail as a database (or a bug) would."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def fetch(self, query: str, *args: object) -> list[object]:
        raise self.error


def lookup_failing_with(client: TestClient, error: Exception) -> httpx.Response:
    """A lookup whose database read raises `error`."""
    client.app.state.nearest = Nearest(Failing(error))  # type: ignore[attr-defined]
    return client.get(URL, params={"lon": 103.834, "lat": 36.061})


def test_an_unreachable_database_is_a_503_that_says_to_retry(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO", logger="stations.api.errors"):
        reply = lookup_failing_with(client, ConnectionRefusedError("connection refused"))
    assert reply.status_code == 503
    assert reply.json() == {"detail": "the station database is not reachable right now; try again in a minute"}
    # the client gets the advice, the log keeps the cause (the same log line as every other route's errors)
    assert any(getattr(r, "detail", "") == "ConnectionRefusedError('connection refused')" for r in caplog.records)


def test_a_lookup_past_the_statement_timeout_is_a_503_that_says_to_retry(client: TestClient) -> None:
    reply = lookup_failing_with(client, asyncpg.QueryCanceledError("canceling statement due to statement timeout"))
    assert reply.status_code == 503
    assert reply.json() == {"detail": "the database took too long to answer; try again in a moment"}


def test_an_unexpected_failure_is_a_logged_500_in_the_usual_shape(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    reply = lookup_failing_with(client, KeyError("site_id"))
    assert reply.status_code == 500 and "logged" in reply.json()["detail"]
    assert any(r.message == "request_error" and r.exc_info for r in caplog.records)


@pytest.mark.parametrize(("error", "status", "detail"), [
    (ConnectionRefusedError("connection refused"), 503, "the station database is not reachable right now"),
    (asyncpg.QueryCanceledError("canceling statement due to statement timeout"), 503, "the database took too long"),
    (KeyError("site_id"), 500, "the request failed on our side"),
])
def test_the_documented_route_fails_like_the_fast_path(error: Exception, status: int, detail: str) -> None:
    """The FastAPI route (what OpenAPI documents; it answers wherever the fast path is not in front) maps failures
    the same way."""
    app = FastAPI()
    install_error_handlers(app)
    app.include_router(nearest_http.router)

    app.state.nearest = Nearest(Failing(error))
    app.state.clock, app.state.calendar = lambda: datetime.now(SHANGHAI), LiveCalendar()
    reply = TestClient(app).get(URL, params={"lon": 103.834, "lat": 36.061})
    assert reply.status_code == status and reply.json()["detail"].startswith(detail)
