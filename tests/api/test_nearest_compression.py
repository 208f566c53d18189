"""Nearest replies are gzip-compressed for clients that accept it, past a size threshold, on both ways in."""

from __future__ import annotations

import gzip
from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from stations.hours import SHANGHAI
from stations.nearest import encoding
from stations.nearest import http as nearest_http
from stations.services.holidays import LiveCalendar
from tests.db.test_nearest import insert_station
from tests.support import Registry

URL = "/api/v1/stations/nearest"
WHERE = {"lon": 103.834, "lat": 36.061, "limit": 20, "open_at": "2026-03-02T10:00:00"}


@pytest.fixture
def eight_stations(registry: Registry) -> None:
    for i in range(8):
        insert_station(registry, lon=103.83 + i / 1000, lat=36.06, name=f"城关区示例驿站{i}",
                       amenities=["drinking_water", "microwave"], hours="Mo-Fr 09:00-17:00; PH off")


def _raw(client: TestClient, accept: str) -> tuple[httpx.Headers, bytes]:
    """The reply's headers and its body as sent (httpx would decode gzip)."""
    with client.stream("GET", URL, params=WHERE, headers={"Accept-Encoding": accept}) as reply:
        return reply.headers, b"".join(reply.iter_raw())


@pytest.mark.usefixtures("eight_stations")
def test_the_fast_path_gzips_for_a_client_that_accepts_it(client: TestClient) -> None:
    (plain, body), (packed, packed_body) = _raw(client, "identity"), _raw(client, "br, gzip;q=0.8")
    assert "content-encoding" not in plain and packed["content-encoding"] == "gzip"
    assert plain["vary"] == packed["vary"] == "accept-encoding"
    assert len(body) > encoding.MIN_SIZE
    assert gzip.decompress(packed_body) == body
    assert int(packed["content-length"]) == len(packed_body) < len(body) / 3
    assert "content-encoding" not in _raw(client, "gzip;q=0, deflate")[0]


class Fixed:
    """A lookup answering a fixed body, for the documented route."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def answer(self, query_string: str, **_: object) -> bytes:
        return self.body


@pytest.mark.parametrize("size", [encoding.MIN_SIZE - 1, encoding.MIN_SIZE, 50_000])
def test_the_documented_route_gzips_only_past_the_threshold(size: int) -> None:
    app = FastAPI()
    app.include_router(nearest_http.router)
    body = (b'{"features": [' + b"1," * size)[:size]
    app.state.nearest = Fixed(body)
    app.state.clock, app.state.calendar = lambda: datetime.now(SHANGHAI), LiveCalendar()
    with TestClient(app).stream("GET", URL, params={"lon": 103.834, "lat": 36.061},
                                headers={"Accept-Encoding": "gzip"}) as reply:
        raw = b"".join(reply.iter_raw())
    gzipped = reply.headers.get("content-encoding") == "gzip"
    assert gzipped == (size >= encoding.MIN_SIZE)
    assert (gzip.decompress(raw) if gzipped else raw) == body


@pytest.mark.parametrize(("header", "takes"), [
    ("gzip", True), ("GZIP", True), ("deflate, gzip;q=0.5", True), ("*", True), ("x-gzip", True),
    ("", False), ("identity", False), ("br", False), ("gzip;q=0", False), ("gzip;q=0.0", False),
    ("gzip;q=nonsense", False), ("gzipped", False),
])
def test_accept_encoding_is_read_with_its_quality(header: str, takes: bool) -> None:
    assert encoding.accepts_gzip(header) is takes
