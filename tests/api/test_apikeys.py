"""API keys guard the feed and exports: 401 without a live key, 429 with Retry-After over the rate."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from stations.db.models import ApiKey, Role
from stations.services.feeds import apikeys
from stations.settings import Settings
from tests.support import live_app
from tests.sync import keys
from tests.sync.staff import bearer


def test_feed_and_exports_need_a_live_key(client: TestClient, session: Session) -> None:
    for path in ("/api/v1/feed/changes", "/api/v1/exports/geojson"):
        reply = client.get(path)
        assert reply.status_code == 401 and "X-API-Key" in reply.json()["detail"]
    raw, key = apikeys.create(session=session, name="test client")
    header = {"X-API-Key": raw}
    assert client.get("/api/v1/feed/changes", headers=header).status_code == 200
    apikeys.revoke(session=session, key_id=key.id)
    assert "revoked" in client.get("/api/v1/feed/changes", headers=header).json()["detail"]


def test_only_the_hash_is_stored(session: Session) -> None:
    raw, key = apikeys.create(session=session, name="amap")
    assert raw.startswith("stk_") and raw not in (key.key_hash, key.prefix) and len(key.key_hash) == 64


def test_over_the_rate_is_429_with_retry_after(client: TestClient, session: Session) -> None:
    header = keys.header(session, rate_per_minute=2)
    assert [client.get("/api/v1/feed/changes", headers=header).status_code for _ in range(2)] == [200, 200]
    reply = client.get("/api/v1/feed/changes", headers=header)
    assert reply.status_code == 429
    assert reply.headers["retry-after"] == "30" and "try again in 30 seconds" in reply.json()["detail"]


def test_admins_manage_keys_over_http(client: TestClient, session: Session) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    created = client.post("/api/v1/admin/api-keys", json={"name": "baidu", "rate_per_minute": 60}, headers=admin)
    assert created.status_code == 201, created.text
    token, key_id = created.json()["token"], created.json()["id"]
    assert client.get("/api/v1/feed/changes", headers={"X-API-Key": token}).status_code == 200
    assert [k["name"] for k in client.get("/api/v1/admin/api-keys", headers=admin).json()] == ["baidu"]
    assert "token" not in client.get("/api/v1/admin/api-keys", headers=admin).json()[0]
    assert client.delete(f"/api/v1/admin/api-keys/{key_id}", headers=admin).json()["revoked_at"]
    editor = bearer(session, username="clerk", role=Role.EDITOR, region="620102")
    assert client.get("/api/v1/admin/api-keys", headers=editor).status_code == 403


def test_a_keyed_request_never_waits_on_its_own_key_check_for_a_connection(app_settings: Settings,
                                                                            engine: Engine) -> None:
    """The key is checked on the primary's pool before the handler takes a read connection from the same pool: with
    the key's connection still held, a pool of N deadlocked at N concurrent feed requests (30 s, then 503)."""
    with Session(engine, expire_on_commit=False) as session:
        raw, key = apikeys.create(session=session, name="one connection", rate_per_minute=1_000)
        session.commit()
    try:
        with live_app(app_settings.model_copy(update={"pool_size": 1})) as base:
            for path in ("/api/v1/feed/changes?limit=1", "/api/v1/exports/geojson"):
                reply = httpx.get(base + path, headers={"X-API-Key": raw}, timeout=20)
                assert reply.status_code == 200, reply.text
    finally:
        with Session(engine) as session:
            session.execute(delete(ApiKey).where(ApiKey.id == key.id))
            session.commit()
