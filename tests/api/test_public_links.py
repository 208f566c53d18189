"""Absolute links come from STATIONS_PUBLIC_BASE_URL (else the listen address), never from a hostile Host header."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.api.links import public_base, startup_notices
from stations.settings import Settings
from tests.sync import keys, writes

HOSTILE = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "gopher"}
BASE = "https://stations.example.cn"


@pytest.fixture
def public_client(app_settings: Settings, client: TestClient) -> Iterator[TestClient]:
    """The usual test client, its app configured with a public base URL."""
    client.app.state.settings = app_settings.model_copy(update={"public_base_url": BASE})  # type: ignore[attr-defined]
    yield client


def _hrefs(document: Any) -> list[str]:
    text = json.dumps(document)
    return [part.split('"')[0] for part in text.split('"href": "')[1:]]


def test_ogc_links_ignore_the_host_header(public_client: TestClient, session: Session) -> None:
    for _ in range(3):
        writes.create(session)
    documents = [public_client.get(path, headers=HOSTILE).json() for path in (
        "/ogc", "/ogc/collections", "/ogc/collections/stations", "/ogc/collections/stations/items?limit=1")]
    hrefs = [href for document in documents for href in _hrefs(document)]
    assert hrefs and all(href.startswith(BASE + "/") for href in hrefs), hrefs
    assert not any("evil" in href for href in hrefs)


def test_the_feed_next_link_ignores_the_host_header(public_client: TestClient, session: Session) -> None:
    writes.create(session)
    writes.create(session)
    public_client.headers.update(keys.header(session))
    link = public_client.get("/api/v1/feed/changes?limit=1", headers=HOSTILE).headers["link"]
    assert link.startswith(f"<{BASE}/api/v1/feed/changes?") and "evil" not in link


def test_sign_qr_codes_ignore_the_host_header(
    public_client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stations.services.pages import signage

    encoded: list[str] = []
    real = signage.qr_matrix
    monkeypatch.setattr(signage, "qr_matrix", lambda url: encoded.append(url) or real(url))
    station = writes.create(session)
    assert public_client.get(f"/api/v1/stations/{station.id}/sign.svg", headers=HOSTILE).status_code == 200
    assert encoded == [f"{BASE}/s/{station.sign_code}"]


def test_without_a_public_base_url_links_use_the_listen_address() -> None:
    assert public_base(Settings(host="0.0.0.0", port=8080)) == "http://0.0.0.0:8080"
    assert public_base(Settings(host="::1", port=8000)) == "http://[::1]:8000"
    assert public_base(Settings(public_base_url="https://stations.example.cn/")) == BASE


@pytest.mark.parametrize("bad", ["stations.example.cn", "ftp://x.cn", "https://user@x.cn", "https://x.cn/?a=1"])
def test_a_public_base_url_must_be_an_http_origin(bad: str) -> None:
    with pytest.raises(ValueError, match="STATIONS_PUBLIC_BASE_URL"):
        Settings(public_base_url=bad)


@pytest.mark.parametrize(
    ("base", "events"),
    [
        (None, ["signs_not_printable", "geolocation_unavailable"]),
        ("http://stations.example.cn", ["signs_not_printable", "geolocation_unavailable"]),
        ("https://stations.example.cn", []),
        ("http://127.0.0.1:8000", []),  # this machine's own address: browsers locate there
    ],
)
def test_staff_are_told_at_start_up_when_signs_or_locating_cannot_work(base: str | None, events: list[str]) -> None:
    notices = startup_notices(Settings(public_base_url=base))
    assert [event for event, _ in notices] == events
    assert all("https" in words and "STATIONS_PUBLIC_BASE_URL" in words for _, words in notices)


def test_the_start_up_log_says_so(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    logged = {record.getMessage() for record in caplog.get_records("setup")}
    assert {"signs_not_printable", "geolocation_unavailable"} <= logged
