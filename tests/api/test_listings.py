"""Listing endpoints: staff set a listing in their region, import POI ids, read coverage and resync."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import Role
from tests.sync import writes
from tests.sync.staff import bearer


def test_editor_sets_a_listing_in_region_only(client: TestClient, session: Session) -> None:
    mine = writes.create(session)
    theirs = writes.create(session, adcode="110101", address="北京市东城区示例路1号", lon=116.4, lat=39.9)
    headers = bearer(session, username="chengguan", role=Role.EDITOR, region="620102")
    body = {"status": "listed", "poi_id": "B0FFG1"}
    reply = client.put(f"/api/v1/stations/{mine.id}/listings/amap", json=body, headers=headers)
    assert reply.status_code == 200, reply.text
    amap = next(x for x in reply.json()["properties"]["listings"] if x["provider"] == "amap")
    assert (amap["status"], amap["poi_id"]) == ("listed", "B0FFG1") and amap["last_synced_at"]
    assert client.put(f"/api/v1/stations/{theirs.id}/listings/amap", json=body, headers=headers).status_code == 403
    assert client.put(f"/api/v1/stations/{mine.id}/listings/amap", json=body).status_code == 401
    assert client.put(f"/api/v1/stations/{mine.id}/listings/google", json=body, headers=headers).status_code == 422


def test_import_csv_and_read_coverage(client: TestClient, session: Session) -> None:
    station = writes.create(session)
    headers = bearer(session, username="admin", role=Role.ADMIN) | {"Content-Type": "text/csv"}
    csv_text = f"sign_code,provider,poi_id\n{station.sign_code},amap,B0001\n{station.sign_code},baidu,42\n"
    report = client.post("/api/v1/listings/import", content=csv_text.encode(), headers=headers)
    assert report.status_code == 200, report.text
    assert report.json() == {"rows": 2, "updated": 2, "unchanged": 0, "errors": []}
    stats = client.get("/api/v1/stats/listings", params={"region": "620100"}).json()
    assert (stats["stations"], stats["both_amap_baidu"], stats["both_amap_baidu_ratio"]) == (1, 1, 1.0)
    assert client.get("/api/v1/listings/resync", headers=headers).json() == []
