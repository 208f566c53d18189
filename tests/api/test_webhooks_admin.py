"""Admins manage webhook subscriptions over HTTP: secret shown once, URLs checked with a reason, a log to read."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import Role, WebhookDelivery
from stations.errors import InvalidInput
from stations.services.feeds import webhooks
from tests.sync.staff import bearer

URL = "https://hooks.example.com/stations"


def test_admin_adds_lists_and_removes_a_webhook(client: TestClient, session: Session) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    created = client.post("/api/v1/admin/webhooks", headers=admin,
                          json={"url": URL, "region": "620000", "kinds": ["outdoor_station"]})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert (body["region"], body["kinds"], body["pending"]) == ("620000", ["outdoor_station"], 0)
    listed = client.get("/api/v1/admin/webhooks", headers=admin).json()
    assert listed["count"] == 1 and "secret" not in listed["data"][0]
    removed = client.delete(f"/api/v1/admin/webhooks/{body['id']}", headers=admin).json()
    assert removed["removed_at"]
    assert client.get("/api/v1/admin/webhooks", headers=admin).json()["count"] == 0
    assert client.get("/api/v1/admin/webhooks?include_removed=true", headers=admin).json()["count"] == 1


def test_given_secret_is_kept_and_short_ones_are_refused(client: TestClient, session: Session) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    kept = client.post("/api/v1/admin/webhooks", headers=admin, json={"url": URL, "secret": "s" * 20})
    assert kept.json()["secret"] == "s" * 20
    short = client.post("/api/v1/admin/webhooks", headers=admin, json={"url": URL, "secret": "short"})
    assert short.status_code == 422 and "secret" in short.json()["detail"]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/in", "must start with http:// or https://"),
        ("example.com/hook", "must start with http:// or https://"),
        ("https:///nohost", "no host name"),
        ("https://user:pw@example.com/", "must not carry a user or password"),
        ("https://example.com/#frag", "must not have a #fragment"),
        ("https://example.com:99999/", "bad port"),
    ],
)
def test_bad_urls_are_refused_with_the_reason(client: TestClient, session: Session, url: str, reason: str) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    reply = client.post("/api/v1/admin/webhooks", headers=admin, json={"url": url})
    assert reply.status_code == 422 and reason in reply.json()["detail"]


def test_unknown_kind_and_region_are_refused(client: TestClient, session: Session) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    assert client.post("/api/v1/admin/webhooks", headers=admin, json={"url": URL, "kinds": ["spa"]}).status_code == 422
    bad_region = client.post("/api/v1/admin/webhooks", headers=admin, json={"url": URL, "region": "999999"})
    assert bad_region.status_code == 422 and "adcode" in bad_region.json()["detail"]
    with pytest.raises(InvalidInput, match="valid kinds: outdoor_station, mothers_room, reading_room"):
        webhooks.create(session=session, url=URL, kinds=["spa"])


def test_delivery_log_over_http(client: TestClient, session: Session) -> None:
    admin = bearer(session, username="root", role=Role.ADMIN)
    sub = webhooks.create(session=session, url=URL)
    session.add(WebhookDelivery(subscription_id=sub.id, change_id=7, attempts=2, last_status_code=500,
                                last_error="HTTP 500: boom"))
    session.flush()
    log = client.get(f"/api/v1/admin/webhooks/{sub.id}/deliveries", headers=admin).json()
    assert log["count"] == 1
    assert {k: log["data"][0][k] for k in ("change_id", "status", "attempts", "last_status_code")} == {
        "change_id": 7, "status": "pending", "attempts": 2, "last_status_code": 500}
    assert client.get("/api/v1/admin/webhooks", headers=admin).json()["data"][0]["pending"] == 1
    assert client.get("/api/v1/admin/webhooks/999999/deliveries", headers=admin).status_code == 404


def test_only_admins(client: TestClient, session: Session) -> None:
    editor = bearer(session, username="clerk", role=Role.EDITOR, region="620102")
    assert client.get("/api/v1/admin/webhooks", headers=editor).status_code == 403
    assert client.post("/api/v1/admin/webhooks", json={"url": URL}).status_code == 401
