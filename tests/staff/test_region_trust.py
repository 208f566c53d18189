"""A point lies inside its region code on every write, a city editor reaches its whole city, sign codes are checked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.db.models import Role, StaffUser, Station
from stations.errors import InvalidInput
from stations.geo.crs import Crs
from stations.geo.shapes import lonlat
from stations.schemas.staff import StaffUserCreate
from stations.schemas.station_write import StationUpdate
from stations.services import importer
from stations.services.registry import stations as service
from stations.services.staff import users
from tests.factories import point_inside, station_create
from tests.staff.conftest import PASSWORD

Login = Callable[[str], dict[str, str]]
TIANANMEN = {"lon": 116.3975, "lat": 39.9087}
NEW = {"kind": "outdoor_station", "name": "城关区新驿站", "address": "甘肃省兰州市城关区新路2号", "adcode": "620102",
       "lon": 103.8343, "lat": 36.0611}


def test_a_county_editor_cannot_move_a_lanzhou_station_to_tiananmen(
    client: TestClient, session: Session, login: Login
) -> None:
    station = service.create(session=session, data=station_create(), actor="setup")
    headers = {**login("chengguan"), "If-Match": '"1"'}
    reply = client.patch(f"/api/v1/stations/{station.id}", json=TIANANMEN, headers=headers)
    assert reply.status_code == 422
    assert "620102" in reply.json()["detail"] and "北京市东城区 (110101)" in reply.json()["detail"]
    assert client.get(f"/api/v1/stations/{station.id}").json()["geometry"]["coordinates"] == [103.8343, 36.0611]


def test_registration_outside_the_region_code_is_refused_in_any_coordinate_system(
    client: TestClient, login: Login
) -> None:
    assert client.post("/api/v1/stations", json={**NEW, **TIANANMEN}, headers=login("admin")).status_code == 422
    gcj = client.post("/api/v1/stations", json={**NEW, "lon": 116.4039, "lat": 39.9151, "crs": "gcj02"},
                      headers=login("admin"))
    assert gcj.status_code == 422 and "gcj02" in gcj.json()["detail"]
    assert client.post("/api/v1/stations", json=NEW, headers=login("chengguan")).status_code == 201


def test_changing_only_the_region_code_checks_the_stored_point(
    client: TestClient, session: Session, login: Login
) -> None:
    station = service.create(session=session, data=station_create(), actor="setup")
    url, headers = f"/api/v1/stations/{station.id}", login("lanzhou")
    refused = client.patch(url, json={"adcode": "620103"}, headers={**headers, "If-Match": '"1"'})
    assert refused.status_code == 422 and "七里河区" in refused.json()["detail"]
    lon, lat = point_inside("620103")
    moved = client.patch(url, json={"adcode": "620103", "address": "甘肃省兰州市七里河区示例街1号", "lon": lon,
                                    "lat": lat}, headers={**headers, "If-Match": '"1"'})
    assert moved.status_code == 200, moved.text


def test_a_stored_point_is_not_judged_again_by_an_unrelated_edit(
    client: TestClient, session: Session, login: Login
) -> None:
    """Stations stored before the check (or demo data) stay editable; only moving them is checked."""
    station = service.create(session=session, data=station_create(), actor="setup")
    session.execute(text("UPDATE stations SET geom = ST_SetSRID(ST_MakePoint(116.3975, 39.9087), 4326) WHERE id = :i"),
                    {"i": station.id})
    reply = client.patch(f"/api/v1/stations/{station.id}", json={"hours": "24/7"},
                         headers={**login("chengguan"), "If-Match": '"1"'})
    assert reply.status_code == 200, reply.text


def test_restore_refuses_a_former_point_outside_the_region(session: Session) -> None:
    station = service.create(session=session, data=station_create(), actor="setup")
    service.update(session=session, station_id=station.id, data=StationUpdate(lon=103.85, lat=36.05),
                   expected_version=1, actor="setup")
    session.execute(text(  # a version written before the check existed
        "UPDATE station_changes SET after = jsonb_set(after, '{geometry,coordinates}', '[116.3975, 39.9087]') "
        "WHERE station_id = :i AND (after -> 'properties' ->> 'version')::int = 1"), {"i": station.id})
    with pytest.raises(InvalidInput, match="110101"):
        service.restore(session=session, station_id=station.id, version=1, actor="t")
    assert lonlat(session.get_one(Station, station.id).geom) == (103.85, 36.05)


def test_import_rows_outside_their_region_are_rejected_with_the_reason(session: Session) -> None:
    lon, lat = point_inside("620103")
    content = (
        "站点名称,类型,地址,经度,纬度,行政区划代码\n"
        "甲驿站,驿站,甘肃省兰州市城关区甲路1号,103.8343,36.0611,620102\n"
        "乙驿站,驿站,甘肃省兰州市城关区乙路1号,116.3975,39.9087,620102\n"
        f"丙驿站,驿站,甘肃省兰州市城关区丙路1号,{lon},{lat},620102\n"
    ).encode()
    job = importer.dry_run(session=session, content=content, filename="f.csv",
                           options=importer.Options(crs=Crs.WGS84), actor="t", scope="")
    assert job.report["rows"] == {"2": "ok", "3": "rejected", "4": "rejected"}
    problems = {i["row"]: i for i in job.report["issues"] if i["level"] == "error"}
    assert "北京市东城区" in problems[3]["problem"] and problems[3]["column"] == "经度"
    assert "七里河区" in problems[4]["problem"]


@pytest.mark.parametrize(
    ("given", "status", "words"),
    [
        ("<svg/onload=alert(1)>", 422, "格式不对"),
        ("../../admin", 422, "格式不对"),
        ("110108-Y-99999", 422, "不在站点所在地区 620102"),
        ("620100-Y-00001", 422, "不在站点所在地区 620102"),  # the city's code is not inside the county
        ("620102-M-00001", 422, "应为 Y"),
        ("620102-y-00042", 201, "620102-Y-00042"),
    ],
)
def test_sign_codes_are_checked_for_format_region_and_kind(
    client: TestClient, login: Login, given: str, status: int, words: str
) -> None:
    reply = client.post("/api/v1/stations", json={**NEW, "sign_code": given}, headers=login("chengguan"))
    assert reply.status_code == status, reply.text
    assert words in (reply.json()["detail"] if status == 422 else reply.json()["properties"]["sign_code"])


def test_import_rows_with_a_bad_sign_code_are_rejected(session: Session) -> None:
    content = ("站点名称,类型,地址,经度,纬度,行政区划代码,标识编号\n"
               "甲驿站,驿站,甘肃省兰州市城关区甲路1号,103.8343,36.0611,620102,110108-Y-99999\n").encode()
    job = importer.dry_run(session=session, content=content, filename="f.csv",
                           options=importer.Options(crs=Crs.WGS84), actor="t", scope="")
    assert job.report["rows"] == {"2": "rejected"}
    assert [i["column"] for i in job.report["issues"] if i["level"] == "error"] == ["标识编号"]


@pytest.mark.parametrize("region", ["620100", "6201"])
def test_an_editor_of_620100_writes_in_the_whole_city_and_nowhere_else(
    client: TestClient, session: Session, region: str
) -> None:
    user = users.create(session=session, cost="test", data=StaffUserCreate(
        username="city", password=PASSWORD, role=Role.EDITOR, region_prefix=region, display_name="兰州市总工会"))
    assert user.region_prefix == "6201"
    token = client.post("/api/v1/auth/token", data={"username": "city", "password": PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    lon, lat = point_inside("620103")
    body = {**NEW, "adcode": "620103", "address": "甘肃省兰州市七里河区示例街", "lon": lon, "lat": lat}
    assert client.post("/api/v1/stations", json=body, headers=headers).status_code == 201
    assert client.post("/api/v1/stations", json=NEW, headers=headers).status_code == 201
    lon, lat = point_inside("620502")
    body = {**NEW, "adcode": "620502", "address": "甘肃省天水市秦州区示例路", "lon": lon, "lat": lat}
    assert client.post("/api/v1/stations", json=body, headers=headers).status_code == 403


def test_an_account_stored_with_a_full_city_code_still_covers_its_city(
    client: TestClient, session: Session, staff: dict[str, StaffUser]
) -> None:
    """Accounts made before the prefix was normalised (620100 stored as is) are read the same way."""
    session.execute(text("UPDATE staff_users SET region_prefix = '620100' WHERE username = 'lanzhou'"))
    token = client.post("/api/v1/auth/token", data={"username": "lanzhou", "password": PASSWORD}).json()
    lon, lat = point_inside("620103")
    body = {**NEW, "adcode": "620103", "address": "甘肃省兰州市七里河区示例街", "lon": lon, "lat": lat}
    reply = client.post("/api/v1/stations", json=body, headers={"Authorization": f"Bearer {token['access_token']}"})
    assert reply.status_code == 201, reply.text
