"""Stored navigation link parts: every write keeps them current, lookups answer the same with or without them, and
parts of another version or layout are never used."""

from __future__ import annotations

from datetime import datetime

import orjson
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from stations.geo.crs import Crs
from stations.hours import SHANGHAI
from stations.reference import Kind
from stations.schemas.station_write import StationUpdate
from stations.services import navigation, nearest, seed, stored_links
from stations.services import stations as station_service
from stations.services.importer import writer
from stations.services.nearest_geojson import feature_collection
from tests.factories import station_create

MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)
ORIGIN = (103.8340, 36.0610)


def reply(session: Session, *, lang: str = "zh", out_crs: Crs = Crs.WGS84, group_by_site: bool = False) -> bytes:
    """The nearest reply's body at Monday noon around `ORIGIN`, as the route writes it."""
    query = nearest.make_query(lon=ORIGIN[0], lat=ORIGIN[1], crs=Crs.WGS84, at=MONDAY_NOON,
                               group_by_site=group_by_site)
    results = nearest.nearest(session=session, query=query)
    return orjson.dumps(feature_collection(results, query=query, lang=lang, out_crs=out_crs))


def features(body: bytes) -> dict[str, dict[str, str]]:
    """Each feature's navigation links by station name."""
    return {f["properties"]["name"]: f["properties"]["navigation"] for f in orjson.loads(body)["features"]}


@pytest.fixture
def lanzhou(session: Session) -> list[int]:
    """Three stations through the service: two functions of one site (one named with text URLs must encode), and a
    lone one."""
    site = session.execute(text(
        "INSERT INTO sites (name, address, adcode) VALUES ('东门', '示例路1号', '620102') RETURNING id")).scalar_one()
    first = station_service.create(session=session, data=station_create(
        name='城关区"东门"驿站 \\ 100%/{a}#b', self_service_hours="24/7", access_methods=["qr_scan"], site_id=site))
    second = station_service.create(session=session, data=station_create(
        kind=Kind.MOTHERS_ROOM, name="东门爱心妈妈小屋", site_id=site, amenities=["refrigerator"]))
    lone = station_service.create(session=session, data=station_create(
        name="西站驿站", lon=103.8443, lat=36.0631, hours="Mo-Fr 09:00-11:00"))
    return [first.id, second.id, lone.id]


def missing(session: Session) -> int:
    return stored_links.count_missing(session.connection())


@pytest.mark.parametrize(("lang", "out_crs", "group_by_site"), [
    ("zh", Crs.WGS84, False), ("en", Crs.GCJ02, False), ("zh", Crs.BD09, True),
])
def test_a_reply_is_byte_for_byte_the_same_with_or_without_stored_parts(
    session: Session, lanzhou: list[int], lang: str, out_crs: Crs, group_by_site: bool
) -> None:
    assert missing(session) == 0  # the service stored them with each write
    stored = reply(session, lang=lang, out_crs=out_crs, group_by_site=group_by_site)
    session.execute(text("DELETE FROM station_links"))
    assert reply(session, lang=lang, out_crs=out_crs, group_by_site=group_by_site) == stored
    assert len(orjson.loads(stored)["features"]) == (2 if group_by_site else 3)


def test_a_move_shows_in_the_next_replys_links(session: Session, lanzhou: list[int]) -> None:
    before = features(reply(session))["西站驿站"]
    station = station_service.get(session=session, station_id=lanzhou[2])
    station_service.update(session=session, station_id=station.id, expected_version=station.version,
                           data=StationUpdate(name="西站驿站（新址）", lon=103.8341, lat=36.0610), actor="test")
    after = features(reply(session))["西站驿站（新址）"]
    assert missing(session) == 0
    assert after == navigation.links(lon=103.8341, lat=36.0610, name="西站驿站（新址）", origin=ORIGIN) != before


def test_a_restored_station_gets_the_links_of_its_restored_place(session: Session, lanzhou: list[int]) -> None:
    station = station_service.get(session=session, station_id=lanzhou[2])
    original = features(reply(session))["西站驿站"]
    station_service.update(session=session, station_id=station.id, expected_version=station.version,
                           data=StationUpdate(lon=103.9, lat=36.1), actor="test")
    station_service.delete(session=session, station_id=station.id, reason="closed for works", actor="test")
    station_service.restore(session=session, station_id=station.id, version=1, actor="test")
    assert features(reply(session))["西站驿站"] == original
    assert missing(session) == 0


def test_a_write_that_skipped_them_is_answered_with_computed_links_until_stored(
    session: Session, lanzhou: list[int]
) -> None:
    session.execute(text("UPDATE stations SET geom = ST_SetSRID(ST_MakePoint(103.90, 36.10), 4326), "
                         "version = version + 1 WHERE id = :id"), {"id": lanzhou[2]})
    moved = navigation.links(lon=103.90, lat=36.10, name="西站驿站", origin=ORIGIN)
    assert features(reply(session))["西站驿站"] == moved  # not the stored parts of the old place
    assert missing(session) == 1
    assert stored_links.refresh_missing(session.connection()) == 1
    assert missing(session) == 0 and features(reply(session))["西站驿站"] == moved


@pytest.mark.parametrize("mismatch", ["version = version - 1", "layout = layout + 1"])
def test_parts_of_another_version_or_layout_are_never_used(
    session: Session, lanzhou: list[int], mismatch: str
) -> None:
    honest = reply(session)
    # Parts that would send a rider elsewhere if they were used.
    session.execute(text(f"UPDATE station_links SET parts = ARRAY['1.0', '2.0', '3.0', '4.0', 'x'], {mismatch} "
                         "WHERE station_id = :id"), {"id": lanzhou[2]})
    assert reply(session) == honest
    assert missing(session) == 1


def test_imports_and_the_demo_seed_store_the_parts_of_what_they_load(session: Session, connection: Connection) -> None:
    writer.insert(session=session, rows=[station_create(name=f"导入驿站{i}", lon=103.83 + i / 1000) for i in range(3)],
                  actor="test", reason="import test")
    seed.seed_demo(connection=connection, count=40, seed=5)
    total = connection.execute(text("SELECT count(*) FROM stations")).scalar_one()
    assert connection.execute(text("SELECT count(*) FROM station_links")).scalar_one() == total == 43
    assert missing(session) == 0
