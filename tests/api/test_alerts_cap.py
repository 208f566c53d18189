"""CAP 1.2 pushes (issue 24): our own CAP file accepted when signed; forged, stale, replayed and hostile ones
refused with a 4xx a provider can act on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stations.hours import SHANGHAI
from stations.services.feeds.webhooks_delivery import sign
from stations.settings import Settings
from tests.support import Clock

SECRET = "cap-push-secret-for-tests-only"
FILES = Path(__file__).parent.parent / "fixtures" / "cap"
HEAT = (FILES / "heat_orange_lanzhou.xml").read_bytes()
CANCEL = (FILES / "cancel_lanzhou.xml").read_bytes()
NOON = datetime(2026, 7, 20, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def app_settings(app_settings: Settings) -> Settings:
    """The test app with CAP pushes turned on."""
    return app_settings.model_copy(update={"alert_push_secret": SECRET})


@pytest.fixture
def clock(clock: Clock) -> Clock:
    """The app's clock inside the alert."""
    clock.now = NOON
    return clock


def push(client: TestClient, body: bytes, *, secret: str = SECRET, at: float | None = None) -> Any:
    stamp = int(NOON.timestamp() if at is None else at)
    headers = {"Content-Type": "application/cap+xml", "X-Stations-Timestamp": str(stamp),
               "X-Stations-Signature": sign(secret=secret, timestamp=stamp, body=body)}
    return client.post("/api/v1/alerts/cap", content=body, headers=headers)


def test_a_signed_cap_file_is_stored_and_shown_with_its_labour_guidance(client: TestClient) -> None:
    reply = push(client, HEAT)
    assert reply.status_code == 201, reply.text
    alert = reply.json()
    assert (alert["alert_type"], alert["level"], alert["areas"]) == ("heat", "orange", ["620102"])
    assert alert["title"] == "高温橙色预警" and alert["active"] is True
    assert "6 小时" in alert["labour_guidance"]  # the 37 °C rule
    assert datetime.fromisoformat(alert["ends_at"]) == datetime(2026, 7, 21, 20, 0, tzinfo=SHANGHAI)
    shown = client.get("/api/v1/alerts").json()
    assert [a["identifier"] for a in shown["data"]] == ["62010241600000_20260720100000"]


def test_a_forged_push_is_refused(client: TestClient) -> None:
    reply = push(client, HEAT, secret="somebody-else-s-secret-key")
    assert reply.status_code == 401
    assert "X-Stations-Signature does not match" in reply.json()["detail"]
    tampered = HEAT.replace(b"620102", b"620103")
    stamp = int(NOON.timestamp())
    headers = {"X-Stations-Timestamp": str(stamp), "X-Stations-Signature": sign(secret=SECRET, timestamp=stamp,
                                                                                  body=HEAT)}
    assert client.post("/api/v1/alerts/cap", content=tampered, headers=headers).status_code == 401
    assert client.post("/api/v1/alerts/cap", content=HEAT).status_code == 401  # unsigned
    assert client.get("/api/v1/alerts").json()["count"] == 0


def test_a_replayed_push_is_refused(client: TestClient) -> None:
    assert push(client, HEAT).status_code == 201
    again = push(client, HEAT)
    assert again.status_code == 409
    assert "already received" in again.json()["detail"]
    stale = push(client, HEAT, at=NOON.timestamp() - 3600)
    assert stale.status_code == 401
    assert "from our clock" in stale.json()["detail"]


def test_a_cancel_ends_the_alert_it_references(client: TestClient) -> None:
    assert push(client, HEAT).status_code == 201
    cancelled = push(client, CANCEL)
    assert cancelled.status_code == 201, cancelled.text
    assert client.get("/api/v1/alerts").json()["count"] == 0


@pytest.mark.parametrize(("body", "status", "words"), [
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
     b"&x;</alert>", 422, "DTD"),
    (b"<alert", 422, "well-formed"),
    (b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"/>', 422, "CAP 1.2"),
    (HEAT.replace(b"<value>620102</value>", b"<value>Lanzhou</value>"), 422, "adcode"),
    (HEAT.replace(b"<expires>2026-07-21T20:00:00+08:00", b"<expires>2026-07-20T09:00:00+08:00"), 422, "later"),
    (b" " * 300_000, 413, "bytes"),
])
def test_hostile_or_wrong_documents_get_a_4xx_saying_why(client: TestClient, body: bytes, status: int,
                                                          words: str) -> None:
    reply = push(client, body)
    assert reply.status_code == status, reply.text
    assert words in reply.json()["detail"]


def test_pushes_are_off_without_a_secret(client: TestClient, app_settings: Settings) -> None:
    app_settings.alert_push_secret = None
    reply = push(client, HEAT)
    assert reply.status_code == 409
    assert "STATIONS_ALERT_PUSH_SECRET" in reply.json()["detail"]


def test_an_update_replaces_the_alert_it_references(client: TestClient) -> None:
    assert push(client, HEAT).status_code == 201
    update = (HEAT.replace(b"<msgType>Alert</msgType>", b"<msgType>Update</msgType><references>"
                           b"lanzhou-weather@example.cn,62010241600000_20260720100000,2026-07-20T10:00:00+08:00"
                           b"</references>")
              .replace(b"62010241600000_20260720100000</identifier>", b"62010241600000_20260720110000</identifier>")
              .replace(b"<value>orange</value>", b"<value>red</value>"))
    reply = push(client, update)
    assert reply.status_code == 201, reply.text
    shown = client.get("/api/v1/alerts").json()["data"]
    assert [(a["identifier"], a["level"]) for a in shown] == [("62010241600000_20260720110000", "red")]
    assert "停止" in shown[0]["labour_guidance"]  # the 40 °C rule
