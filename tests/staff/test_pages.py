"""Staff pages over HTTP: login cookie, CSRF, register, conflict, history/restore, dashboard (imports: elsewhere)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import StaffUser
from stations.reference import ListingStatus
from stations.services.registry import stations as service
from tests.factories import station_create
from tests.staff.conftest import PASSWORD


def _login(client: TestClient, username: str) -> str:
    reply = client.post("/staff/login", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert reply.status_code == 303, reply.text
    page = client.get("/staff/stations/new" if username != "viewer" else "/staff")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match
    return match.group(1)


def _form(csrf: str, **overrides: str) -> dict[str, object]:
    return {"csrf_token": csrf, "kind": "outdoor_station", "name": "页面登记驿站",
            "address": "甘肃省兰州市城关区页面路1号", "adcode": "620102", "crs": "gcj02", "lon": "103.8400",
            "lat": "36.0600", "hours": "Mo-Su 08:00-20:00",
            "amenities": ["drinking_water", "toilet"], "status": "active", **overrides}


def test_pages_need_a_login(client: TestClient, staff: dict[str, StaffUser]) -> None:
    reply = client.get("/staff/stations", follow_redirects=False)
    assert reply.status_code == 303 and reply.headers["location"].startswith("/staff/login")
    bad = client.post("/staff/login", data={"username": "admin", "password": "nope"})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text


def test_cookie_is_httponly_and_writes_need_the_csrf_token(client: TestClient, staff: dict[str, StaffUser]) -> None:
    reply = client.post("/staff/login", data={"username": "chengguan", "password": PASSWORD}, follow_redirects=False)
    cookie = reply.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    forged = client.post("/staff/stations/new", data=_form("forged"))
    assert forged.status_code == 403
    assert client.post("/api/v1/stations", json={}).status_code == 403, "cookie API writes need X-CSRF-Token"


def test_register_edit_conflict_history_restore(client: TestClient, staff: dict[str, StaffUser]) -> None:
    csrf = _login(client, "chengguan")
    created = client.post("/staff/stations/new", data=_form(csrf), follow_redirects=False)
    assert created.status_code == 303, created.text
    url = created.headers["location"].split("?")[0]
    page = client.get(created.headers["location"]).text
    assert "已保存" in page and 'value="gcj02" selected' in page and "103.84" in page
    saved = client.post(url, data=_form(csrf, name="第一次修改", version="1", reason="核实"), follow_redirects=False)
    assert saved.status_code == 303
    stale = client.post(url, data=_form(csrf, name="过期的修改", version="1"))
    assert stale.status_code == 412 and "别人刚刚修改了这个站点" in stale.text and "第一次修改" in stale.text
    history = client.get(f"{url}/history").text
    assert "修改" in history and "核实" in history and "chengguan" in history
    restored = client.post(f"{url}/restore", data={"csrf_token": csrf, "version": "1"}, follow_redirects=False)
    assert restored.status_code == 303
    assert 'value="页面登记驿站"' in client.get(url).text


def test_county_editor_is_refused_outside_the_county(client: TestClient, staff: dict[str, StaffUser]) -> None:
    csrf = _login(client, "chengguan")
    reply = client.post("/staff/stations/new", data=_form(csrf, adcode="620103", address="甘肃省兰州市七里河区1号"))
    assert reply.status_code == 403 and "outside your region 620102" in reply.text


@pytest.mark.parametrize("who", ["admin", "lanzhou", "viewer"])
def test_dashboard_counts_the_region(client: TestClient, session: Session, staff: dict[str, StaffUser],
                                     who: str) -> None:
    service.create(session=session, data=station_create(sign_installed=True))
    service.create(session=session, data=station_create(adcode="131002", address="河北省廊坊市安次区1号"))
    _login(client, who)
    page = client.get("/staff").text
    assert "已挂统一标识" in page and "<svg" in page
    figures = re.findall(r"<b>(\d+)</b><span>站点总数", page)
    assert figures and int(figures[0]) == (1 if who == "lanzhou" else 2), "the Hebei station is outside Lanzhou"


def test_convert_endpoint_for_the_pin(client: TestClient, staff: dict[str, StaffUser]) -> None:
    _login(client, "admin")
    reply = client.get("/staff/api/convert?lon=103.8343&lat=36.0611&from=wgs84&to=gcj02").json()
    assert reply["lon"] != 103.8343 and abs(reply["lon"] - 103.8343) < 0.01
    assert client.get("/staff/api/convert?lon=36&lat=103").status_code == 422


def test_dashboard_shows_double_listing_coverage(
    client: TestClient, session: Session, staff: dict[str, StaffUser]
) -> None:
    both = service.create(session=session, data=station_create())
    service.create(session=session, data=station_create())  # listed nowhere
    for listing in both.listings:
        if listing.provider in ("amap", "baidu"):
            listing.status = ListingStatus.LISTED
    session.flush()
    _login(client, "admin")
    page = client.get("/staff").text
    bar = re.search(r"双上图</text>\s*<rect[^>]*></rect>\s*<text[^>]*>(\d+)</text>", page)
    assert bar and bar.group(1) == "1", "one station is on both Amap and Baidu"
