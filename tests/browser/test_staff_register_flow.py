"""A clerk registers a station (issue 25): the pin map opens on their region, the pin fills the region code, the
station page prints its sign; the clerk's actions are counted (docs/staff.md#registering-a-station)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy.orm import Session

from stations import divisions
from stations.db.models.staff import Role
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import users
from tests.browser import screens
from tests.browser.conftest import LiveServer
from tests.browser.staff_fixtures import PASSWORD, desk, log_in, no_dialogs, staff_server

pytestmark = pytest.mark.browser
__all__ = ["desk", "staff_server"]
Desk = Callable[[], BrowserContext]


class Clerk:
    """The clerk's hands: every click, typed field and choice counts as one action."""

    def __init__(self, page: Page) -> None:
        self.page, self.actions = page, 0

    def go(self, url: str) -> None:
        self.actions += 1
        self.page.goto(url)

    def type(self, selector: str, value: str) -> None:
        self.actions += 1
        self.page.fill(selector, value)

    def click(self, selector: str) -> None:
        self.actions += 1
        self.page.click(selector)

    def click_map_centre(self) -> None:
        self.actions += 1
        box = self.page.locator("#pin-map").bounding_box()
        assert box is not None
        self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_registering_a_station_takes_nine_actions_with_the_region_code_from_the_pin(
        staff_server: LiveServer, desk: Desk) -> None:
    with Session(staff_server.engine) as session, session.begin():  # a city clerk: the form cannot guess the county
        users.create(session=session, cost="test", data=StaffUserCreate(
            username="lanzhou", password=PASSWORD, role=Role.EDITOR, region_prefix="6201", display_name="兰州市 示例"))
    page = desk().new_page()
    dialogs = no_dialogs(page)
    log_in(page, staff_server, "lanzhou")
    clerk = Clerk(page)
    clerk.go(f"{staff_server.url}/staff/stations/new")
    assert page.input_value("#adcode") == "6201"  # the region's prefix, not yet a county
    box = page.locator("#pin-map").get_attribute("data-bounds") or ""
    assert tuple(float(v) for v in box.split(",")) == pytest.approx(divisions.bounds("6201"), abs=1e-4)
    clerk.type("input[name=name]", "图钉登记示例驿站")
    clerk.type("input[name=address]", "甘肃省兰州市图钉路1号")
    clerk.click_map_centre()  # the middle of Lanzhou's box
    expect(page.locator("#adcode-from-pin")).to_contain_text("区划代码由图钉确定：甘肃省兰州市")
    lon, lat = float(page.input_value("#lon")), float(page.input_value("#lat"))
    county = divisions.locate(lon, lat)
    assert county is not None and county.startswith("6201") and page.input_value("#adcode") == county
    expect(page.locator("#adcode-from-pin")).to_contain_text(f"{divisions.full_name(county)}（{county}）")
    clerk.type("input[name=hours]", "Mo-Su 08:00-20:00")
    clerk.click("input[name=amenities][value=drinking_water]")
    clerk.click("input[name=amenities][value=microwave]")
    clerk.type("input[name=phone]", "0931-8123456")
    screens.save(page, "staff-register-pin", full_page=True)
    clerk.click("button:has-text('保存')")
    expect(page.locator(".notice")).to_contain_text("已保存")
    assert clerk.actions == 9  # it was 13 (docs/staff.md): the region code is no longer typed
    [(adcode, station_id)] = staff_server.sql("SELECT adcode, id FROM stations WHERE name = '图钉登记示例驿站'")
    assert adcode == county
    page.goto(f"{staff_server.url}/staff/stations/{station_id}")
    expect(page.locator("#print-sign")).to_have_attribute("href", f"/api/v1/stations/{station_id}/sign.pdf")
    assert dialogs == []
