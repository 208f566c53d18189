"""GET /api/v1/exports/{format}: a streamed download with its coordinate system in a header."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.sync import keys, writes


def test_baidu_export_downloads_as_csv(client: TestClient, session: Session) -> None:
    writes.create(session)
    client.headers.update(keys.header(session))
    reply = client.get("/api/v1/exports/baidu", params={"region": "620102"})
    assert reply.status_code == 200
    assert reply.headers["content-disposition"] == 'attachment; filename="stations-baidu-620102.csv"'
    assert reply.headers["x-coordinate-system"] == "BD-09"
    assert reply.content.decode("utf-8-sig").splitlines()[1].startswith("城关区示例户外劳动者驿站,")


def test_unknown_format_or_region_is_422(client: TestClient, session: Session) -> None:
    client.headers.update(keys.header(session))
    assert "geojson" in client.get("/api/v1/exports/kml").json()["detail"]
    reply = client.get("/api/v1/exports/csv", params={"region": "62"})
    assert reply.status_code == 422 and "6 digits" in reply.json()["detail"]
