"""A clerk registers a station (issue 25): the pin map opens on their region, the pin fills the region code, the
station page prints its sign; the clerk's actions are counted (docs/staff.md#registering-a-station)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from stations import divisions
from tests.browser import screens
from tests.browser.conftest import LiveServer
from tests.browser.staff_fixtures import desk, log_in, no_dialogs, staff_server

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
    page = desk().new_page()
    dialogs = no_dialogs(page)
    log_in(page, staff_server, "chengguan")  # 620102 城关区
    clerk = Clerk(page)
    clerk.go(f"{staff_server.url}/staff/stations/new")
    centre = page.evaluate("(() => { const m = document.getElementById('pin-map'); return m.dataset.bounds; })()")
    west, south, east, north = (float(v) for v in centre.split(","))
    assert (west, south, east, north) == pytest.approx(divisions.bounds("620102"), abs=1e-4)  # not all of Lanzhou
    clerk.type("input[name=name]", "图钉登记示例驿站")
    clerk.type("input[name=address]", "甘肃省兰州市城关区图钉路1号")
    clerk.click_map_centre()
    expect(page.locator("#adcode-from-pin")).to_contain_text("区划代码由图钉确定：甘肃省兰州市城关区")
    lon, lat = float(page.input_value("#lon")), float(page.input_value("#lat"))
    assert page.input_value("#adcode") == divisions.locate(lon, lat) == "620102"
    clerk.type("input[name=hours]", "Mo-Su 08:00-20:00")
    clerk.click("input[name=amenities][value=drinking_water]")
    clerk.click("input[name=amenities][value=microwave]")
    clerk.type("input[name=phone]", "0931-8123456")
    screens.save(page, "staff-register-pin", full_page=True)
    clerk.click("button:has-text('保存')")
    expect(page.locator(".notice")).to_contain_text("已保存")
    assert clerk.actions == 9  # it was 13 (docs/staff.md): the region code is no longer typed
    [(adcode, station_id)] = staff_server.sql("SELECT adcode, id FROM stations WHERE name = '图钉登记示例驿站'")
    assert adcode == "620102"
    page.goto(f"{staff_server.url}/staff/stations/{station_id}")
    expect(page.locator("#print-sign")).to_have_attribute("href", f"/api/v1/stations/{station_id}/sign.pdf")
    assert dialogs == []
