"""Issue 22 in chromium on a phone (360x740): a rider checks in from the details sheet; an inspector fills the
checklist on site and the station gets its stars."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from stations.db.models import Role
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import users
from tests.browser import screens
from tests.browser.conftest import LANZHOU, PHONE, LiveServer
from tests.browser.helpers import lanzhou_stations, shot, wait_for_list
from tests.browser.staff_fixtures import PASSWORD

pytestmark = pytest.mark.browser


def test_rider_checks_in_open_and_sees_it_confirmed(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    page.locator(f'#results .item[data-id="{ids["near"]}"]').click()
    expect(page.locator("#d-facts")).to_contain_text("0931-8123456")
    expect(page.locator("#d-confirmed")).to_be_hidden()
    page.get_by_role("button", name="开着", exact=True).click()
    expect(page.locator("#checkin-result")).to_contain_text("谢谢！已记录：开着")
    expect(page.locator("#d-confirmed")).to_have_text("今天有人确认开放")
    [(outcome, during)] = live_server.sql("SELECT outcome, during_hours FROM station_checkins WHERE station_id = :i",
                                          i=ids["near"])
    assert outcome == "open" and during is not None
    page.locator("#checkin").scroll_into_view_if_needed()
    shot(page, "checkin")


def test_rider_reports_a_broken_facility_in_two_taps(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    live_server.sql("UPDATE stations SET confirmed_open_at = now() - interval '2 days' WHERE id = :i", i=ids["near"])
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    expect(page.locator(f'#results .item[data-id="{ids["near"]}"] .confirmed')).to_have_text("2 天前有人确认开放")
    page.locator(f'#results .item[data-id="{ids["near"]}"]').click()
    expect(page.locator("#d-facts")).to_contain_text("0931-8123456")
    expect(page.locator("#d-confirmed")).to_have_text("2 天前有人确认开放")
    page.locator("#d-close").click()
    page.locator(f'#results .item[data-id="{ids["reading"]}"]').click()  # (the rate limiter remembers "near")
    expect(page.locator("#d-facts")).to_contain_text("无线网络")
    page.get_by_role("button", name="设施坏了").click()
    page.locator("#broken-list").get_by_role("button", name="无线网络").click()
    expect(page.locator("#checkin-result")).to_contain_text("设施坏了")
    [(outcome, amenity)] = live_server.sql("SELECT outcome, amenity FROM station_checkins")
    assert (outcome, amenity) == ("broken", "wifi")
    page.get_by_role("button", name="没开").click()  # the same device again within the hour: told so in Chinese
    expect(page.locator("#checkin-result")).to_contain_text("一小时内")


def test_inspector_fills_the_checklist_on_a_phone(live_server: LiveServer, browser: Browser) -> None:
    station = live_server.insert_station(lon=LANZHOU["longitude"], lat=LANZHOU["latitude"], name="城关区示例驿站",
                                         amenities=["drinking_water", "aed"], sign_code="620102-Y-09001")
    live_server.sql("UPDATE stations SET area_m2 = 32, capacity = 20 WHERE id = :i", i=station)
    live_server.sql("DELETE FROM staff_users")
    with Session(live_server.engine) as session, session.begin():
        users.create(session=session, cost="test", data=StaffUserCreate(
            username="xuncha", password=PASSWORD, role=Role.INSPECTOR, region_prefix="620102", display_name="巡查员"))
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/staff/stations/{station}/inspect")
        page.fill("input[name=username]", "xuncha")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("h1")).to_contain_text("巡查：城关区示例驿站")
        items = page.locator("fieldset.item")
        assert items.count() == 9
        for i in range(items.count()):
            items.nth(i).locator("label.answer.pass").click()
        page.locator("fieldset#item-rules_posted label.answer.fail").click()
        page.fill("input[name=note_rules_posted]", "制度未上墙")
        page.get_by_label("到访时站点开着").check()
        box = page.locator("label.answer.pass").first.bounding_box()
        assert box is not None and box["height"] >= 44  # a thumb can hit it
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off the side
        screens.save(page, "staff-inspect-phone")
        page.get_by_role("button", name="保存巡查").click()
        expect(page.locator("#rating")).to_contain_text("规则 00-1")
        expect(page.locator("#findings")).to_contain_text("制度未上墙")
        screens.save(page, "staff-inspect-rated", full_page=True)
    finally:
        context.close()
    [(stars, rule)] = live_server.sql("SELECT star_rating, star_rule_version FROM stations WHERE id = :i", i=station)
    assert (stars, rule) == (3, "00-1")  # 8 of 9 passed (89%): below 4 stars' 90%
