"""Possible duplicates from PostGIS and merging: pairs likely (25 m) and possible (500 m, similar names), across
kinds; merging keeps both histories and the survivor's sign code, redirects the other's id, sign code and QR page,
moves its reports, and the change feed sends a tombstone with `merged_into`."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.reference import Kind
from stations.services.registry import stations as registry
from tests.factories import station_create
from tests.sync.keys import header

Login = Callable[[str], dict[str, str]]
LON, LAT = 103.8343, 36.0611
EAST_300M = 0.00333  # about 300 m east at this latitude


def _make(session: Session, name: str, lon: float, lat: float = LAT, **values: object) -> int:
    return registry.create(session=session, actor="setup", data=station_create(name=name, lon=lon, lat=lat,
                                                                               **values)).id


def test_pairs_likely_possible_and_not(client: TestClient, session: Session, login: Login) -> None:
    a = _make(session, "张掖路户外劳动者驿站", LON)
    b = _make(session, "张掖路爱心妈妈小屋", LON + 0.0001, kind=Kind.MOTHERS_ROOM, amenities=[])  # ~9 m, another kind
    c = _make(session, "张掖路户外劳动者驿站（新）", LON + EAST_300M)  # ~300 m, same name written alike
    _make(session, "滨河路环卫工人休息室", LON - EAST_300M)  # ~300 m, another name: not a pair
    _make(session, "很远的驿站", LON + 0.02)  # ~1.8 km
    reply = client.get("/api/v1/duplicates", headers=login("chengguan"))
    assert reply.status_code == 200, reply.text
    pairs = [(p["level"], {p["a"]["id"], p["b"]["id"]}) for p in reply.json()["data"]]
    assert pairs[0] == ("likely", {a, b})
    assert ("possible", {a, c}) in pairs
    assert len(pairs) == 2  # 滨河路 is 300 m away under another name; 很远的驿站 is too far
    outside = client.get("/api/v1/duplicates?region=6202", headers=login("chengguan"))
    assert outside.status_code == 403


def test_dismissed_pairs_leave_the_view(client: TestClient, session: Session, login: Login) -> None:
    a = _make(session, "驿站甲", LON)
    b = _make(session, "驿站乙", LON + 0.0001)
    reply = client.post("/api/v1/duplicates/dismiss", json={"a_id": b, "b_id": a}, headers=login("chengguan"))
    assert reply.status_code == 204
    assert client.get("/api/v1/duplicates", headers=login("chengguan")).json()["count"] == 0


def test_merge_keeps_histories_and_redirects(client: TestClient, session: Session, login: Login) -> None:
    keep = _make(session, "张掖路驿站", LON)
    gone = _make(session, "张掖路驿站(重复)", LON + 0.0001, phone="0931-7654321")
    report = client.post(f"/api/v1/stations/{gone}/reports", json={"kind": "no_water"}).json()
    head = client.get("/api/v1/feed/changes?since=0&limit=1000", headers=header(session)).json()["next_since"]
    gone_code = client.get(f"/api/v1/stations/{gone}").json()["properties"]["sign_code"]
    keep_code = client.get(f"/api/v1/stations/{keep}").json()["properties"]["sign_code"]
    reply = client.post(f"/api/v1/stations/{keep}/merge", json={"other_id": gone, "reason": "同一地点"},
                        headers=login("chengguan"))
    assert reply.status_code == 200, reply.text
    merged = reply.json()["properties"]
    assert merged["sign_code"] == keep_code and merged["phone"] == "0931-7654321"  # blanks filled from the other
    moved = client.get(f"/api/v1/stations/{gone}", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"].startswith(f"/api/v1/stations/{keep}")
    assert client.get(f"/api/v1/stations/{gone}").json()["id"] == keep
    page = client.get(f"/s/{gone_code}", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"].startswith(f"/s/{keep_code}")
    feed = client.get(f"/api/v1/feed/changes?since={head}", headers=header(session)).json()["data"]
    tombstone = next(e for e in feed if e["station_id"] == gone)
    assert tombstone["deleted"] is True and tombstone["merged_into"] == keep
    assert any(e["station_id"] == keep and e["action"] == "update" for e in feed)
    history = client.get(f"/api/v1/stations/{keep}/history", headers=login("chengguan")).json()["data"]
    assert {e["station_id"] for e in history} == {keep, gone}  # both histories, on the survivor
    assert client.get(f"/api/v1/reports/{report['id']}").json()["station_id"] == keep
    assert session.execute(text("SELECT merged_into FROM stations WHERE id = :i"), {"i": gone}).scalar() == keep
    restore = client.post(f"/api/v1/stations/{gone}/restore", json={"version": 1}, headers=login("chengguan"))
    assert restore.status_code == 409


def test_merge_needs_write_rights_in_both_regions(client: TestClient, session: Session, login: Login) -> None:
    keep = _make(session, "驿站", LON)
    other = registry.create(session=session, actor="setup", data=station_create(name="驿站", adcode="620103")).id
    assert client.post(f"/api/v1/stations/{keep}/merge", json={"other_id": other},
                       headers=login("chengguan")).status_code == 403
    assert client.post(f"/api/v1/stations/{keep}/merge", json={"other_id": keep},
                       headers=login("chengguan")).status_code == 422
    assert client.post(f"/api/v1/stations/{keep}/merge", json={"other_id": other},
                       headers=login("viewer")).status_code == 403
