"""Stored station renders: every write keeps them current, lookups answer the same with or without them, and a stale
or foreign render is never served."""

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
from stations.services import nearest, renders, seed
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


def names(body: bytes) -> list[str]:
    return [feature["properties"]["name"] for feature in orjson.loads(body)["features"]]


@pytest.fixture
def lanzhou(session: Session) -> list[int]:
    """Three stations through the service (so rendered): two functions of one site (one with text JSON must escape,
    and the texts `render` cuts at), and a lone one."""
    site = session.execute(text(
        "INSERT INTO sites (name, address, adcode) VALUES ('东门', '示例路1号', '620102') RETURNING id")).scalar_one()
    first = station_service.create(session=session, data=station_create(
        name='城关区"东门"驿站 \\ {origin}{geometry}', self_service_hours="24/7", access_methods=["qr_scan"],
        site_id=site))
    second = station_service.create(session=session, data=station_create(
        kind=Kind.MOTHERS_ROOM, name="东门爱心妈妈小屋", site_id=site, amenities=["refrigerator"]))
    lone = station_service.create(session=session, data=station_create(
        name="西站驿站", lon=103.8443, lat=36.0631, hours="Mo-Fr 09:00-11:00"))
    return [first.id, second.id, lone.id]


def missing(session: Session) -> int:
    return renders.count_missing(session.connection())


@pytest.mark.parametrize(("lang", "out_crs", "group_by_site"), [
    ("zh", Crs.WGS84, False), ("en", Crs.GCJ02, False), ("zh", Crs.BD09, True), ("en", Crs.WGS84, True),
])
def test_a_reply_is_byte_for_byte_the_same_with_or_without_renders(
    session: Session, lanzhou: list[int], lang: str, out_crs: Crs, group_by_site: bool
) -> None:
    assert missing(session) == 0  # the service rendered each write
    rendered = reply(session, lang=lang, out_crs=out_crs, group_by_site=group_by_site)
    session.execute(text("DELETE FROM station_renders"))
    assert reply(session, lang=lang, out_crs=out_crs, group_by_site=group_by_site) == rendered
    assert len(orjson.loads(rendered)["features"]) == (2 if group_by_site else 3)


def test_an_edit_shows_in_the_next_reply(session: Session, lanzhou: list[int]) -> None:
    station = station_service.get(session=session, station_id=lanzhou[2])
    station_service.update(session=session, station_id=station.id, expected_version=station.version,
                           data=StationUpdate(name="西站驿站（新址）", lon=103.8341, lat=36.0610), actor="test")
    assert names(reply(session))[0] == "西站驿站（新址）"  # renamed, and moved to be the nearest
    assert missing(session) == 0


def test_a_deleted_then_restored_station_is_rendered_as_restored(session: Session, lanzhou: list[int]) -> None:
    station_service.delete(session=session, station_id=lanzhou[2], reason="closed for works", actor="test")
    assert "西站驿站" not in names(reply(session))
    restored = station_service.restore(session=session, station_id=lanzhou[2], version=1, actor="test")
    assert "西站驿站" in names(reply(session))
    assert missing(session) == 0 and restored.version > 1


def test_a_write_that_skipped_rendering_is_answered_from_scratch_until_rendered(
    session: Session, lanzhou: list[int]
) -> None:
    session.execute(text("UPDATE stations SET name = '手工改名驿站', version = version + 1 WHERE id = :id"),
                    {"id": lanzhou[2]})
    assert "手工改名驿站" in names(reply(session))  # the render of the old version is not used
    assert missing(session) == 1
    assert renders.refresh_missing(session.connection()) == 1
    assert missing(session) == 0 and "手工改名驿站" in names(reply(session))


@pytest.mark.parametrize("mismatch", ["version = version - 1", "layout = layout + 1"])
def test_a_render_of_another_version_or_layout_is_never_served(
    session: Session, lanzhou: list[int], mismatch: str
) -> None:
    honest = reply(session)
    # A render that would show a wrong name if it were used.
    forged = session.execute(text("SELECT parts FROM station_renders WHERE station_id = :id"),
                             {"id": lanzhou[2]}).scalar_one()
    forged = [part.replace("西站".encode(), "假的".encode()) for part in forged]
    session.execute(text(f"UPDATE station_renders SET parts = :parts, {mismatch} WHERE station_id = :id"),
                    {"parts": forged, "id": lanzhou[2]})
    assert reply(session) == honest
    assert missing(session) == 1


def test_imports_and_the_demo_seed_render_what_they_load(session: Session, connection: Connection) -> None:
    writer.insert(session=session, rows=[station_create(name=f"导入驿站{i}", lon=103.83 + i / 1000) for i in range(3)],
                  actor="test", reason="import test")
    seed.seed_demo(connection=connection, count=40, seed=5)
    total = connection.execute(text("SELECT count(*) FROM stations")).scalar_one()
    assert connection.execute(text("SELECT count(*) FROM station_renders")).scalar_one() == total == 43
    assert missing(session) == 0
