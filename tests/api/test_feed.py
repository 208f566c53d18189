"""GET /api/v1/feed/changes over HTTP: JSON page, next link, clear 422s."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.sync import keys, writes


def test_feed_page_and_next_link(client: TestClient, session: Session) -> None:
    station = writes.create(session)
    writes.delete(session, station, reason="撤站")
    client.headers.update(keys.header(session))
    reply = client.get("/api/v1/feed/changes", params={"since": 0, "limit": 1})
    assert reply.status_code == 200
    body = reply.json()
    assert body["count"] == 1 and body["has_more"] is True
    assert body["data"][0]["action"] == "create"
    assert f"since={body['next_since']}" in reply.headers["link"]
    rest = client.get("/api/v1/feed/changes", params={"since": body["next_since"]}).json()
    assert [e["action"] for e in rest["data"]] == ["delete"]
    assert rest["data"][0]["reason"] == "撤站"


def test_bad_cursor_is_a_clear_422(client: TestClient, session: Session) -> None:
    client.headers.update(keys.header(session))
    reply = client.get("/api/v1/feed/changes", params={"since": -1})
    assert reply.status_code == 422
    assert "since" in reply.json()["detail"]


def test_a_page_carries_an_etag_and_revalidates_until_new_changes_come(client: TestClient, session: Session) -> None:
    writes.create(session)
    client.headers.update(keys.header(session))
    first = client.get("/api/v1/feed/changes")
    assert first.status_code == 200 and first.headers["vary"] == "X-API-Key"
    same = client.get("/api/v1/feed/changes", headers={"If-None-Match": first.headers["etag"]})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == first.headers["etag"]
    writes.create(session)
    newer = client.get("/api/v1/feed/changes", headers={"If-None-Match": first.headers["etag"]})
    assert newer.status_code == 200 and newer.json()["count"] == 2 and newer.headers["etag"] != first.headers["etag"]
