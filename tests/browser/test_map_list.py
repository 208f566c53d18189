"""The worker map in chromium on a phone: locate, the nearest list, filters, hostile names, no external requests."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from stations.hours import SHANGHAI
from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    HOSTILE,
    api_features,
    api_ids,
    denied_location_page,
    lanzhou_stations,
    list_ids,
    shot,
    wait_for_list,
)

pytestmark = pytest.mark.browser


def test_nearest_list_appears_and_matches_the_api(live_server: LiveServer, page: Page) -> None:
    lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    assert list_ids(page) == api_ids(live_server)
    first = page.locator("#results .item").first
    expect(first).to_contain_text("城关区张掖路户外劳动者驿站")
    expect(first).to_contain_text("步行 2 分钟")
    # 08:00-22:00 staffed, self-service (QR) the rest of the day: the label follows the clock, never "closed".
    staffed = api_features(live_server)[0]["properties"]["staffed_now"]
    expect(first).to_contain_text("开放中" if staffed else "自助开放")
    expect(first).not_to_contain_text("已关闭")
    assert first.locator("svg.ic").count() == 3  # water, microwave, toilet
    expect(page.locator("#status-text")).to_contain_text("你附近")
    shot(page, "list")


def test_filters_change_the_list(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    page.get_by_role("button", name="妈妈小屋", exact=True).click()
    wait_for_list(page, 1)
    assert list_ids(page) == [ids["mothers"]] == api_ids(live_server, kind="mothers_room")
    page.get_by_role("button", name="全部", exact=True).click()
    wait_for_list(page, 4)
    page.get_by_role("button", name="微波炉", exact=True).click()
    wait_for_list(page, 1)
    assert list_ids(page) == [ids["near"]]
    page.get_by_role("button", name="微波炉", exact=True).click()
    page.get_by_role("button", name="饮水", exact=True).click()
    wait_for_list(page, 2)
    assert list_ids(page) == api_ids(live_server, amenity="drinking_water")
    expect(page.get_by_role("button", name="饮水", exact=True)).to_have_attribute("aria-pressed", "true")
    shot(page, "filtered")


def test_hostile_name_renders_as_text(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    item = page.locator(f'#results .item[data-id="{ids["hostile"]}"]')
    expect(item.locator(".name")).to_have_text(HOSTILE)
    assert page.locator("#results img, #sheet img").count() == 0
    item.click()
    expect(page.locator("#d-name")).to_have_text(HOSTILE)
    expect(page.locator("#d-facts")).to_contain_text(HOSTILE)
    assert page.locator("#sheet img").count() == 0
    # the `page` fixture fails the test if any dialog (alert) opened or any request left the machine


def test_english_switch(live_server: LiveServer, page: Page) -> None:
    lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="EN").click()
    wait_for_list(page, 4)
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("#results .item").first).to_contain_text("walk 2 min")
    expect(page.get_by_role("button", name="Microwave", exact=True)).to_be_visible()


def test_denied_location_says_why_and_offers_cities(live_server: LiveServer, browser: Browser) -> None:
    page = denied_location_page(live_server, browser)
    expect(page.locator("#city")).to_be_visible()
    shot(page, "denied")
    page.locator("#city").select_option(label="兰州市")
    wait_for_list(page, 4)
    expect(page.locator("#status-text")).to_contain_text("地图中心")
    page.context.close()


def test_a_year_whose_holidays_are_not_loaded_reads_as_provisional_in_chinese(
    live_server: LiveServer, page: Page
) -> None:
    """From 1 January until an admin loads the year's notice, answers follow ordinary weekdays and weekends and
    say so; a station whose holiday rule could still decide reads 平日此时开放 in grey (neither open green nor
    closed red); the open filter keeps it, and no English text reaches the rider."""
    live_server.clock.now = datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI)  # Tuesday; chinesecalendar stops at 2026
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    page.get_by_role("button", name="只看开放", exact=True).click()
    expect(page.get_by_role("button", name="只看开放", exact=True)).to_have_attribute("aria-pressed", "true")
    wait_for_list(page, 4)  # nothing refused: all four are open, or open on an ordinary day
    mothers = page.locator(f'#results .item[data-id="{ids["mothers"]}"]')  # Mo-Fr 09:00-17:00; PH off
    expect(mothers.locator(".when")).to_have_text("平日此时开放 · 17:00 关闭")
    expect(mothers.locator(".when")).to_have_class("when unsure")
    expect(mothers.locator(".note")).to_have_text("开放时间按常规推算，节假日安排待公布")
    near = page.locator(f'#results .item[data-id="{ids["near"]}"]')  # 08:00-22:00 every day: certain
    expect(near.locator(".when")).to_have_text("开放中")
    expect(near.locator(".note")).to_have_count(0)
    shot(page, "hours-provisional")
    ours = " ".join(page.locator("#status-text, #results .meta, #results .when, #results .note").all_inner_texts())
    assert "开放" in ours and not re.search(r"[A-Za-z]{3,}", ours), ours  # words we write, none of them English
    mothers.click()
    expect(page.locator("#d-open")).to_have_text("平日此时开放 · 17:00 关闭 · 开放时间按常规推算，节假日安排待公布")
    expect(page.locator("#d-open")).to_have_class("open-line unsure")
