"""GDAL as a real client: ogrinfo/ogr2ogr read our OGC API, ogrinfo decodes our vector tiles."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from stations.geo.geodesy import distance_m
from stations.services.feeds.tiles import tile_of
from tests.sync import writes


def _gdal(*args: str, debug: bool = False) -> str:
    if shutil.which(args[0]) is None:
        pytest.fail(f"{args[0]} is missing: install gdal-bin (scripts/system-deps.sh does)", pytrace=False)
    config = ["--config", "CPL_DEBUG", "ON"] if debug else []
    done = subprocess.run([args[0], *config, *args[1:]], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr if debug else done.stdout


def _seed(sessions: sessionmaker[Session], count: int) -> list[int]:
    with sessions() as session, session.begin():
        ids = [writes.create(session, lon=103.8 + i * 0.001, lat=36.06).id for i in range(count)]
        writes.delete(session, writes.create(session), reason="撤站")  # never served
    return ids


def test_ogrinfo_lists_the_layer_and_its_count(live_sessions: sessionmaker[Session], live_server: str) -> None:
    _seed(live_sessions, 7)
    listing = _gdal("ogrinfo", "-ro", f"OAPIF:{live_server}/ogc")
    assert "stations" in listing
    summary = _gdal("ogrinfo", "-ro", "-so", f"OAPIF:{live_server}/ogc", "stations")
    assert "Feature Count: 7" in summary
    assert "Geometry: Point" in summary


def test_ogr2ogr_copies_every_feature_following_next_links(
    live_sessions: sessionmaker[Session], live_server: str, tmp_path: Path
) -> None:
    ids = _seed(live_sessions, 23)
    out = tmp_path / "copy.geojson"
    log = _gdal("ogr2ogr", "-f", "GeoJSON", str(out), f"OAPIF:{live_server}/ogc", "stations", "-oo", "PAGE_SIZE=5",
                debug=True)
    assert log.count("after=") >= 4  # five pages of five: it followed our keyset next links
    copied = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert sorted(f["properties"]["id"] for f in copied) == ids
    assert copied[0]["geometry"]["coordinates"] == [103.8, 36.06]


def test_gdal_decodes_a_vector_tile(live_sessions: sessionmaker[Session], live_server: str, tmp_path: Path) -> None:
    with live_sessions() as session, session.begin():
        station = writes.create(session)
    z = 16
    x, y = tile_of(103.8343, 36.0611, z)
    reply = httpx.get(f"{live_server}/tiles/{z}/{x}/{y}.mvt")
    assert reply.status_code == 200
    saved = tmp_path / "tile.mvt"
    saved.write_bytes(reply.content)
    out = tmp_path / "tile.geojson"
    _gdal("ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", str(out), str(saved),
          "-oo", f"Z={z}", "-oo", f"X={x}", "-oo", f"Y={y}", "stations")
    (feature,) = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert feature["properties"]["name"] == station.name
    assert feature["properties"]["kind"] == "outdoor_station"
    assert feature["properties"]["sign_code"] == station.sign_code
    lon, lat = feature["geometry"]["coordinates"]
    assert distance_m(lon, lat, 103.8343, 36.0611) < 1.0  # a z16 tile has 0.15 m per unit


def test_low_zoom_tiles_carry_counted_clusters(
    live_sessions: sessionmaker[Session], live_server: str, tmp_path: Path
) -> None:
    with live_sessions() as session, session.begin():
        for i in range(5):
            writes.create(session, lon=103.8343 + i * 0.001, lat=36.0611)
        writes.create(session, lon=104.5, lat=36.5)  # ~80 km away: another cell at z6
    z = 6
    x, y = tile_of(103.8343, 36.0611, z)
    saved = tmp_path / "low.mvt"
    saved.write_bytes(httpx.get(f"{live_server}/tiles/{z}/{x}/{y}.mvt").content)
    out = tmp_path / "low.geojson"
    _gdal("ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", str(out), str(saved),
          "-oo", f"Z={z}", "-oo", f"X={x}", "-oo", f"Y={y}", "clusters")
    counts = sorted(f["properties"]["count"] for f in json.loads(out.read_text(encoding="utf-8"))["features"])
    assert counts == [1, 5]
