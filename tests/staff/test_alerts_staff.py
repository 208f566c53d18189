"""Weather alerts by staff (issue 24): issued and cancelled inside the writer's region only, stations' alert modes
declared the same way, and the dashboard listing which stations in an alert's area declared one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from stations.db.models import StaffUser
from stations.hours import SHANGHAI
from stations.services.registry import stations as registry
from tests.factories import station_create
from tests.staff.test_pages import _login
from tests.support import Clock

Login = Callable[[str], dict[str, str]]
START = datetime(2026, 7, 20, 10, 0, tzinfo=SHANGHAI)


def heat(**overrides: Any) -> dict[str, Any]:
    return {"alert_type": "heat", "level": "orange", "areas": ["620102"], "starts_at": START.isoformat(),
            "ends_at": START.replace(day=21).isoformat(), "headline": "城关区高温橙色预警", **overrides}


def test_alerts_are_issued_only_inside_the_writer_s_region(client: TestClient, login: Login, clock: Clock) -> None:
    clock.now = START.replace(hour=12)
    county = login("chengguan")
    reply = client.post("/api/v1/alerts", json=heat(), headers=county)
    assert reply.status_code == 201, reply.text
    assert reply.json()["active"] is True and reply.json()["title"] == "高温橙色预警"
    outside = client.post("/api/v1/alerts", json=heat(areas=["620100"]), headers=county)  # the whole city
    assert outside.status_code == 403 and "outside your region" in outside.json()["detail"]
    assert client.post("/api/v1/alerts", json=heat(areas=["620100"]), headers=login("lanzhou")).status_code == 201
    assert client.post("/api/v1/alerts", json=heat(), headers=login("viewer")).status_code == 403
    assert client.post("/api/v1/alerts", json=heat()).status_code == 401
    bad = client.post("/api/v1/alerts", json=heat(ends_at=START.isoformat()), headers=county)
    assert bad.status_code == 422 and "later than" in bad.json()["detail"]
    assert client.post("/api/v1/alerts", json=heat(areas=["99"]), headers=county).status_code == 422
    cancelled = client.post(f"/api/v1/alerts/{reply.json()['id']}/cancel", headers=county)
    assert cancelled.status_code == 200 and cancelled.json()["cancelled"] is True
    assert [a["areas"] for a in client.get("/api/v1/alerts").json()["data"]] == [["620100"]]


def test_alert_modes_are_declared_inside_the_writer_s_region(client: TestClient, session: Session,
                                                             login: Login) -> None:
    mine = registry.create(session=session, data=station_create())
    theirs = registry.create(session=session, data=station_create(adcode="620103", address="甘肃省兰州市七里河区1号"))
    mode = {"alert_type": "heat", "min_level": "orange", "hours": "24/7", "offers": ["air_conditioning"]}
    county = login("chengguan")
    reply = client.put(f"/api/v1/stations/{mine.id}/alert-modes", json=mode, headers=county)
    assert reply.status_code == 200, reply.text
    assert reply.json()["hours_text"]
    assert client.put(f"/api/v1/stations/{theirs.id}/alert-modes", json=mode, headers=county).status_code == 403
    assert client.put(f"/api/v1/stations/{mine.id}/alert-modes", json=mode | {"hours": "whenever"},
                      headers=county).status_code == 422
    assert client.put(f"/api/v1/stations/{mine.id}/alert-modes", json=mode | {"offers": ["karaoke"]},
                      headers=county).status_code == 422
    assert client.get(f"/api/v1/stations/{mine.id}/alert-modes").json()["count"] == 1
    assert client.delete(f"/api/v1/stations/{mine.id}/alert-modes/heat", headers=county).status_code == 204
    assert client.get(f"/api/v1/stations/{mine.id}/alert-modes").json()["count"] == 0


def test_the_dashboard_lists_stations_in_the_alert_area_with_a_mode(
    client: TestClient, session: Session, staff: dict[str, StaffUser], login: Login, clock: Clock,
) -> None:
    clock.now = START.replace(hour=12)
    declared = registry.create(session=session, data=station_create(name="已声明清凉模式驿站"))
    registry.create(session=session, data=station_create(name="未声明驿站"))
    headers = login("chengguan")
    client.put(f"/api/v1/stations/{declared.id}/alert-modes", headers=headers,
               json={"alert_type": "heat", "min_level": "yellow", "hours": "24/7", "offers": ["drinking_water"]})
    client.post("/api/v1/alerts", json=heat(), headers=headers)
    listed = client.get("/api/v1/alerts/stations", headers=headers).json()
    assert [(a["in_area"], [s["id"] for s in a["declared"]]) for a in listed] == [(2, [declared.id])]
    assert listed[0]["declared"][0]["applies"] is True
    _login(client, "chengguan")
    page = client.get("/staff").text
    assert "高温橙色预警" in page and "已声明清凉模式驿站" in page and "未声明驿站" not in page


def test_the_alert_mode_page_declares_and_withdraws(client: TestClient, session: Session,
                                                    staff: dict[str, StaffUser]) -> None:
    mine = registry.create(session=session, data=station_create())
    theirs = registry.create(session=session, data=station_create(adcode="620103", address="甘肃省兰州市七里河区1号"))
    csrf = _login(client, "chengguan")
    page = client.get(f"/staff/stations/{mine.id}/alert-modes")
    assert page.status_code == 200 and "尚未声明预警模式" in page.text
    form = {"csrf_token": csrf, "alert_type": "heat", "min_level": "orange", "hours": "24/7",
            "offers": ["air_conditioning", "drinking_water"]}
    saved = client.post(f"/staff/stations/{mine.id}/alert-modes", data=form, follow_redirects=True)
    assert saved.status_code == 200 and "已保存" in saved.text and "橙色及以上" in saved.text
    refused = client.post(f"/staff/stations/{theirs.id}/alert-modes", data=form)
    assert refused.status_code == 403 and "outside your region" in refused.text
    bad = client.post(f"/staff/stations/{mine.id}/alert-modes", data=form | {"hours": "whenever"})
    assert bad.status_code == 422
    gone = client.post(f"/staff/stations/{mine.id}/alert-modes", follow_redirects=True,
                       data={"csrf_token": csrf, "alert_type": "heat", "withdraw": "1"})
    assert "尚未声明预警模式" in gone.text
