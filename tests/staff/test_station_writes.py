"""Register, edit with If-Match, soft delete and restore, each inside the caller's region only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stations.db.models import StaffUser, Station, StationChange
from stations.services.registry import stations as service
from tests.factories import point_inside, station_create

Login = Callable[[str], dict[str, str]]
NEW = {
    "kind": "outdoor_station", "name": "城关区新驿站", "address": "甘肃省兰州市城关区新路2号", "adcode": "620102",
    "lon": 103.84, "lat": 36.06, "hours": "Mo-Su 08:00-20:00", "amenities": ["饮水", "微波炉"],
}


def _create(session: Session, **overrides: Any) -> Station:
    return service.create(session=session, data=station_create(**overrides), actor="setup")


def _actions(session: Session, station_id: int) -> list[str]:
    rows = session.scalars(
        select(StationChange.action).where(StationChange.station_id == station_id).order_by(StationChange.id)
    )
    return [str(a) for a in rows]


def test_county_editor_registers_in_county_with_a_generated_sign_code(client: TestClient, login: Login) -> None:
    reply = client.post("/api/v1/stations", json=NEW, headers=login("chengguan"))
    assert reply.status_code == 201, reply.text
    assert reply.headers["etag"] == '"1"'
    assert reply.headers["location"] == f"/api/v1/stations/{reply.json()['id']}"
    assert reply.json()["properties"]["sign_code"].startswith("620102-Y-")
    assert [a["code"] for a in reply.json()["properties"]["amenities_detail"]] == ["drinking_water", "microwave"]


def test_gcj02_registration_keeps_the_original(client: TestClient, login: Login) -> None:
    reply = client.post("/api/v1/stations", json={**NEW, "crs": "gcj02"}, headers=login("admin"))
    props = reply.json()["properties"]
    assert props["source_crs"] == "gcj02" and props["source_coordinates"] == [103.84, 36.06]


@pytest.mark.parametrize(
    ("who", "adcode", "address", "status"),
    [
        ("chengguan", "620103", "甘肃省兰州市七里河区示例街", 403),  # neighbouring county
        ("lanzhou", "620103", "甘肃省兰州市七里河区示例街", 201),  # the city editor covers it
        ("lanzhou", "620502", "甘肃省天水市秦州区示例路", 403),  # another city
        ("viewer", "620102", "甘肃省兰州市城关区示例路", 403),
        ("admin", "620102", "河北省石家庄市长安区示例路", 422),  # address names another province
    ],
)
def test_scope_and_address_checks_on_create(
    client: TestClient, login: Login, who: str, adcode: str, address: str, status: int
) -> None:
    lon, lat = point_inside(adcode)
    body = {**NEW, "adcode": adcode, "address": address, "lon": lon, "lat": lat}
    reply = client.post("/api/v1/stations", json=body, headers=login(who))
    assert reply.status_code == status, reply.text


def test_anonymous_writes_are_401(client: TestClient, staff: dict[str, StaffUser]) -> None:
    assert client.post("/api/v1/stations", json=NEW).status_code == 401


def test_patch_needs_if_match_and_refuses_stale_versions(client: TestClient, session: Session, login: Login) -> None:
    station = _create(session)
    headers = login("chengguan")
    url = f"/api/v1/stations/{station.id}"
    assert client.patch(url, json={"name": "新名"}, headers=headers).status_code == 428
    first = client.patch(url, json={"name": "新名", "reason": "改名"}, headers={**headers, "If-Match": '"1"'})
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == '"2"'
    stale = client.patch(url, json={"name": "另一个名"}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert stale.json()["current"]["properties"]["name"] == "新名"
    assert client.get(url).json()["properties"]["name"] == "新名"


def test_editor_cannot_touch_or_move_out_of_their_county(client: TestClient, session: Session, login: Login) -> None:
    other = _create(session, adcode="620103", address="甘肃省兰州市七里河区示例街8号")
    mine = _create(session)
    headers = {**login("chengguan"), "If-Match": '"1"'}
    assert client.patch(f"/api/v1/stations/{other.id}", json={"name": "x"}, headers=headers).status_code == 403
    assert client.request(
        "DELETE", f"/api/v1/stations/{other.id}", json={"reason": "重复"}, headers=headers
    ).status_code == 403
    moved = client.patch(f"/api/v1/stations/{mine.id}", json={"adcode": "620103"}, headers=headers)
    assert moved.status_code == 403
    assert client.get(f"/api/v1/stations/{mine.id}").json()["properties"]["adcode"] == "620102"


def test_move_with_coordinates_in_bd09(client: TestClient, session: Session, login: Login) -> None:
    station = _create(session)
    reply = client.patch(
        f"/api/v1/stations/{station.id}", json={"lon": 103.85, "lat": 36.07, "crs": "bd09"},
        headers={**login("admin"), "If-Match": '"1"'},
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["properties"]["source_crs"] == "bd09"
    bad = client.patch(
        f"/api/v1/stations/{station.id}", json={"lon": 36.07, "lat": 103.85},
        headers={**login("admin"), "If-Match": '"2"'},
    )
    assert bad.status_code == 422 and "swapped" in bad.json()["detail"]


def test_soft_delete_keeps_the_row_and_records_it(client: TestClient, session: Session, login: Login) -> None:
    station = _create(session)
    headers = login("chengguan")
    assert client.delete(f"/api/v1/stations/{station.id}", headers=headers).status_code == 422
    gone = client.delete(f"/api/v1/stations/{station.id}?reason=已拆除", headers=headers)
    assert gone.status_code == 204
    assert client.get(f"/api/v1/stations/{station.id}").status_code == 404
    row = session.get(Station, station.id)
    assert row is not None and row.deleted_reason == "已拆除" and row.deleted_at is not None
    assert _actions(session, station.id) == ["create", "delete"]


def test_history_and_restore(client: TestClient, session: Session, login: Login) -> None:
    station = _create(session)
    headers = login("chengguan")
    url = f"/api/v1/stations/{station.id}"
    client.patch(url, json={"name": "改错的名字", "hours": "24/7"}, headers={**headers, "If-Match": '"1"'})
    client.delete(f"{url}?reason=误删", headers=headers)
    history = client.get(f"{url}/history", headers=headers).json()
    assert [e["action"] for e in history["data"]] == ["delete", "update", "create"]
    assert history["data"][1]["changed_fields"] == ["hours", "name"]
    assert history["data"][1]["actor"] == "chengguan"
    restored = client.post(f"{url}/restore", json={"version": 1}, headers=headers)
    assert restored.status_code == 200, restored.text
    props = restored.json()["properties"]
    assert props["name"] == station_create().name and props["hours"] == "Mo-Su 08:00-20:00"
    assert props["version"] == 4
    assert _actions(session, station.id) == ["create", "update", "delete", "restore"]
    assert client.get(f"{url}/history").status_code == 401
    assert client.post(f"{url}/restore", json={"version": 99}, headers=headers).status_code == 404
