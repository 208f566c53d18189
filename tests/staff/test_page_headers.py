"""Every staff route, found in the app's own route table, answers with the map's security headers (CSP without
'unsafe-inline', nosniff, never framed, a referrer policy), logged in or not, whatever the status; the pages it
renders carry no inline code the policy would block; and hours read in words."""

from __future__ import annotations

import re

import pytest
from fastapi import routing
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import StaffUser
from stations.services.registry import stations as service
from stations.settings import Settings
from tests.factories import station_create
from tests.staff.conftest import PASSWORD

INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def staff_routes(client: TestClient) -> list[tuple[str, str]]:
    """(method, path) of every route under /staff, from the app's routes (FastAPI keeps included ones behind
    contexts)."""
    found = []
    for item in routing.iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        path = str(getattr(item, "path_format", ""))
        if path.startswith("/staff"):
            found.extend((method, path) for method in sorted(getattr(item, "methods", None) or ()))
    return found


def assert_secured(reply: object, where: str) -> None:
    headers = reply.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert headers.get("x-content-type-options") == "nosniff", where
    assert headers.get("referrer-policy") == "same-origin" and headers.get("x-frame-options") == "DENY", where


@pytest.fixture
def logged_in(client: TestClient, staff: dict[str, StaffUser]) -> TestClient:
    reply = client.post("/staff/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)
    assert reply.status_code == 303
    return client


def test_every_staff_route_sends_the_security_headers(logged_in: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create())
    routes = staff_routes(logged_in)
    assert len(routes) >= 20 and ("GET", "/staff/stations/{station_id}") in routes
    values = {"station_id": str(station.id), "job_id": "no-such-job", "report_id": "1", "finding_id": "1"}
    for method, path in routes:
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
        for who, client_cookies in (("staff", True), ("nobody", False)):
            if not client_cookies:
                logged_in.cookies.clear()
            reply = logged_in.request(method, url, follow_redirects=False)
            assert reply.status_code < 500, (method, url, reply.status_code)
            assert_secured(reply, f"{method} {url} as {who}")
            if reply.headers.get("content-type", "").startswith("text/html"):
                assert INLINE_CODE.findall(reply.text) == [], f"{method} {url}: inline code the CSP would block"
        logged_in.post("/staff/login", data={"username": "admin", "password": PASSWORD}, follow_redirects=False)


def test_the_map_may_be_framed_by_union_apps_and_staff_pages_never(
    client: TestClient, app_settings: Settings
) -> None:
    union = "https://app.example.cn https://*.union.example.cn"
    client.app.state.settings = app_settings.model_copy(  # type: ignore[attr-defined]
        update={"frame_ancestors": Settings(frame_ancestors=union).frame_ancestors})
    page = client.get("/")
    assert f"frame-ancestors {union}" in page.headers["content-security-policy"]
    assert "x-frame-options" not in page.headers
    assert_secured(client.get("/staff/login"), "login under a framing allowance")


def test_the_map_is_not_framed_by_default(client: TestClient) -> None:
    page = client.get("/")
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["x-content-type-options"] == "nosniff"


def test_staff_read_hours_in_words(logged_in: TestClient, session: Session) -> None:
    station = service.create(session=session, data=station_create(hours="Mo-Fr 08:30-17:30; PH off"))
    listing = logged_in.get("/staff/stations").text
    assert "周一至周五 08:30–17:30，法定节假日休息" in listing
    form = logged_in.get(f"/staff/stations/{station.id}").text
    assert "标识牌和地图上写作：周一至周五 08:30–17:30，法定节假日休息" in form
    assert 'value="Mo-Fr 08:30-17:30; PH off"' in form, "the expression stays editable as written"


def test_the_dashboard_says_when_signs_cannot_be_printed(logged_in: TestClient, app_settings: Settings) -> None:
    assert "STATIONS_PUBLIC_BASE_URL" in logged_in.get("/staff").text
    logged_in.app.state.settings = app_settings.model_copy(  # type: ignore[attr-defined]
        update={"public_base_url": "https://stations.example.cn"})
    assert 'id="sign-notice"' not in logged_in.get("/staff").text
