"""GET /tiles/{z}/{x}/{y}.mvt: a tile where stations are, 204 where none, 304 on ETag, 400 when impossible."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.services.feeds.tiles import tile_of
from tests.sync import writes


def _url(lon: float, lat: float, z: int) -> str:
    x, y = tile_of(lon, lat, z)
    return f"/tiles/{z}/{x}/{y}.mvt"


def test_tile_with_a_station_is_mvt_with_cache_headers(client: TestClient, session: Session) -> None:
    writes.create(session)
    reply = client.get(_url(103.8343, 36.0611, 14))
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/vnd.mapbox-vector-tile"
    assert b"stations" in reply.content and "城关区".encode() in reply.content
    assert reply.headers["cache-control"].startswith("public, max-age=")
    again = client.get(_url(103.8343, 36.0611, 14), headers={"If-None-Match": reply.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_tile_changes_its_etag_when_a_station_changes(client: TestClient, session: Session) -> None:
    station = writes.create(session)
    before = client.get(_url(103.8343, 36.0611, 12)).headers["etag"]
    writes.update(session, station, name="新名字驿站")
    assert client.get(_url(103.8343, 36.0611, 12)).headers["etag"] != before


def test_empty_and_deleted_are_204(client: TestClient, session: Session) -> None:
    writes.delete(session, writes.create(session), reason="撤站")
    assert client.get(_url(103.8343, 36.0611, 14)).status_code == 204
    assert client.get(_url(87.6, 43.8, 10)).status_code == 204


@pytest.mark.parametrize("z", range(0, 10))
def test_zoomed_out_tiles_are_clusters_from_the_aggregates_and_follow_deletions(
    client: TestClient, session: Session, z: int
) -> None:
    station = writes.create(session)
    reply = client.get(_url(103.8343, 36.0611, z))
    assert reply.status_code == 200 and b"clusters" in reply.content and b"count" in reply.content
    assert client.get(_url(87.6, 43.8, z) if z >= 3 else "/tiles/0/0/0.mvt").status_code == (204 if z >= 3 else 200)
    writes.delete(session, station, reason="撤站")
    assert client.get(_url(103.8343, 36.0611, z)).status_code == 204


@pytest.mark.parametrize("path", ["/tiles/25/0/0.mvt", "/tiles/3/8/0.mvt", "/tiles/3/0/-1.mvt", "/tiles/a/0/0.mvt"])
def test_impossible_tiles_are_400(client: TestClient, path: str) -> None:
    reply = client.get(path)
    assert reply.status_code == 400
    assert reply.json()["detail"]
