"""Inspections over the API: the inspector role and its region, checklists as versioned data, findings open until
fixed (time to fix), star ratings with their rule version, and what an inspection confirms."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from stations.db.models import Role, StaffUser, Station, StationChange
from stations.schemas.staff import StaffUserCreate
from stations.services.registry import stations as registry
from stations.services.staff import users
from tests.factories import station_create
from tests.staff.conftest import PASSWORD

Login = Callable[[str], dict[str, str]]
NATIONAL = json.loads((Path(__file__).resolve().parents[2] / "data/checklists/national-v1.json").read_text("utf-8"))
ALL_PASS = {item["code"]: "pass" for item in NATIONAL["items"]}


@pytest.fixture
def inspector(session: Session, staff: dict[str, StaffUser]) -> StaffUser:
    return users.create(session=session, cost="test", data=StaffUserCreate(
        username="xuncha", password=PASSWORD, role=Role.INSPECTOR, region_prefix="620102", display_name="巡查员"))


@pytest.fixture
def big(session: Session) -> Station:
    return registry.create(session=session, actor="setup", data=station_create(
        area_m2=36, capacity=24, amenities=["drinking_water", "aed"], phone="0931-1"))


def _inspect(client: TestClient, station: int, headers: dict[str, str], **overrides: Any) -> Any:
    body = {"answers": ALL_PASS, "open_at_visit": True} | overrides
    return client.post(f"/api/v1/stations/{station}/inspections", json=body, headers=headers)


def test_a_full_pass_rates_five_stars_by_the_national_rules(client: TestClient, session: Session, login: Login,
                                                            inspector: StaffUser, big: Station) -> None:
    reply = _inspect(client, big.id, login("xuncha"))
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["checklist"] == "00-1" and body["findings"] == []
    assert body["rating"]["stars"] == 5 and body["rating"]["rule_version"] == "00-1"
    feature = client.get(f"/api/v1/stations/{big.id}").json()["properties"]
    assert (feature["star_rating"], feature["star_rule_version"]) == (5, "00-1")
    assert feature["hours_checked_on"] == feature["location_checked_on"] == feature["verified_at"]
    assert feature["confirmed_open_at"] is not None
    reasons = session.scalars(select(StationChange.reason).where(StationChange.station_id == big.id)).all()
    assert any(r and r.startswith("星级评定：5 星（规则 00-1") for r in reasons)  # providers hear of it


def test_failed_items_open_findings_until_fixed(client: TestClient, login: Login, inspector: StaffUser,
                                                big: Station) -> None:
    reply = _inspect(client, big.id, login("xuncha"), answers=ALL_PASS | {"hours_kept": "fail"},
                     notes={"hours_kept": "10:00 到访锁门"}, open_at_visit=False)
    assert reply.json()["rating"]["stars"] == 2  # a critical item failed
    [finding] = reply.json()["findings"]
    assert finding["note"] == "10:00 到访锁门" and finding["fixed_at"] is None
    fixed = client.post(f"/api/v1/findings/{finding['id']}/fix", json={"note": "已安排专人开门"},
                        headers=login("xuncha"))
    assert fixed.status_code == 200 and fixed.json()["fixed_by"] == "xuncha"
    assert fixed.json()["days_to_fix"] is not None and fixed.json()["days_to_fix"] >= 0
    again = client.post(f"/api/v1/findings/{finding['id']}/fix", json={"note": "再次"}, headers=login("xuncha"))
    assert again.status_code == 422


def test_every_item_must_be_answered(client: TestClient, login: Login, inspector: StaffUser, big: Station) -> None:
    missing = dict(ALL_PASS)
    del missing["rules_posted"]
    reply = _inspect(client, big.id, login("xuncha"), answers=missing)
    assert reply.status_code == 422 and "制度上墙" in reply.json()["detail"]
    assert _inspect(client, big.id, login("xuncha"), answers=ALL_PASS | {"bogus": "pass"}).status_code == 422


def test_roles_and_regions(client: TestClient, session: Session, login: Login, inspector: StaffUser,
                           big: Station) -> None:
    elsewhere = registry.create(session=session, actor="setup", data=station_create(adcode="620103"))
    assert _inspect(client, elsewhere.id, login("xuncha")).status_code == 403
    assert _inspect(client, big.id, login("viewer")).status_code == 403
    edit = client.patch(f"/api/v1/stations/{big.id}", json={"name": "改名"},
                        headers=login("xuncha") | {"If-Match": '"1"'})
    assert edit.status_code == 403  # an inspector inspects; it does not edit the registry
    assert _inspect(client, big.id, login("chengguan")).status_code == 201


def test_a_provinces_own_checklist_version_is_used_and_recorded(client: TestClient, login: Login,
                                                                inspector: StaffUser, big: Station) -> None:
    gansu = NATIONAL | {"province": "62", "version": 1, "name": "甘肃省检查表",
                        "items": NATIONAL["items"][:3], "stars": [{"stars": 3, "passed_share": 1.0},
                                                                  {"stars": 1, "passed_share": 0.0}]}
    assert client.post("/api/v1/checklists", json=gansu, headers=login("chengguan")).status_code == 403
    assert client.post("/api/v1/checklists", json=gansu, headers=login("admin")).status_code == 201
    assert client.post("/api/v1/checklists", json=gansu, headers=login("admin")).status_code == 409
    checklist = client.get(f"/api/v1/stations/{big.id}/checklist").json()
    assert (checklist["province"], checklist["version"]) == ("62", 1)
    answers = {item["code"]: "pass" for item in NATIONAL["items"][:3]}
    reply = _inspect(client, big.id, login("xuncha"), answers=answers)
    assert reply.json()["checklist"] == "62-1" and reply.json()["rating"]["stars"] == 3
    assert reply.json()["rating"]["rule_version"] == "62-1"


def test_staff_confirm_facts_without_an_edit(client: TestClient, login: Login, inspector: StaffUser,
                                             big: Station) -> None:
    reply = client.post(f"/api/v1/stations/{big.id}/checks", json={"facts": ["access", "amenities"]},
                        headers=login("xuncha"))
    assert reply.status_code == 204
    feature = client.get(f"/api/v1/stations/{big.id}").json()["properties"]
    assert feature["access_checked_on"] and feature["amenities_checked_on"] and feature["version"] == 1


def test_an_edit_dates_the_facts_it_changes(client: TestClient, login: Login, big: Station) -> None:
    reply = client.patch(f"/api/v1/stations/{big.id}", json={"hours": "Mo-Fr 09:00-18:00"},
                         headers=login("chengguan") | {"If-Match": '"1"'})
    assert reply.status_code == 200, reply.text
    props = reply.json()["properties"]
    assert props["hours_checked_on"] is not None and props["location_checked_on"] is None
