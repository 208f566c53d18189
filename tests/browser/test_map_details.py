"""The details sheet in chromium: hours in words, contact, navigation links with the right coordinates, reports."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from playwright.sync_api import Page, expect

from stations.geo.crs import bd09_to_wgs84, gcj02_to_wgs84
from stations.geo.geodesy import distance_m
from tests.browser.conftest import LANZHOU, LiveServer
from tests.browser.helpers import HOSTILE, lanzhou_stations, shot, wait_for_list

pytestmark = pytest.mark.browser


def open_nearest(live: LiveServer, page: Page) -> dict[str, int]:
    ids = lanzhou_stations(live)
    page.goto(live.url + "/")
    wait_for_list(page, 4)
    page.locator(f'#results .item[data-id="{ids["near"]}"]').click()
    expect(page.locator("#sheet")).to_be_visible()
    expect(page.locator("#d-facts")).to_contain_text("0931-8123456")  # the full record has arrived
    return ids


def test_details_sheet_reads_like_prose(live_server: LiveServer, page: Page) -> None:
    open_nearest(live_server, page)
    facts = page.locator("#d-facts")
    expect(page.locator("#d-name")).to_have_text("城关区张掖路户外劳动者驿站")
    expect(facts).to_contain_text("每天 08:00–22:00")  # hours in words from the API
    expect(facts).to_contain_text("全天24小时开放")
    expect(facts).to_contain_text("扫码开门")
    expect(facts).to_contain_text("饮水、微波炉、卫生间")
    expect(facts).to_contain_text("620102Y0001")
    expect(facts).to_contain_text("2026-10-01")
    expect(facts.get_by_role("link", name="0931-8123456")).to_have_attribute("href", "tel:09318123456")
    shot(page, "details")


def test_navigation_links_carry_each_apps_coordinates(live_server: LiveServer, page: Page) -> None:
    open_nearest(live_server, page)
    page.get_by_role("button", name="导航").click()
    expect(page.locator("#d-navlinks")).to_be_visible()
    shot(page, "navigate")
    lon, lat = LANZHOU["longitude"] + 0.001, LANZHOU["latitude"]
    amap = parse_qs(urlparse(page.locator("#nav-amap").get_attribute("href") or "").query)["to"][0].split(",")
    assert distance_m(*gcj02_to_wgs84(float(amap[0]), float(amap[1])), lon, lat) < 0.5
    baidu = parse_qs(urlparse(page.locator("#nav-baidu").get_attribute("href") or "").query)
    blat, blon = baidu["destination"][0].split("|")[0].removeprefix("latlng:").split(",")
    assert distance_m(*bd09_to_wgs84(float(blon), float(blat)), lon, lat) < 0.5
    tencent = parse_qs(urlparse(page.locator("#nav-tencent").get_attribute("href") or "").query)
    tlat, tlon = tencent["tocoord"][0].split(",")
    assert distance_m(*gcj02_to_wgs84(float(tlon), float(tlat)), lon, lat) < 0.5
    assert (page.locator("#nav-geo").get_attribute("href") or "").startswith(f"geo:{lat:.6f},{lon:.6f}")


def test_report_round_trip_without_location(live_server: LiveServer, page: Page) -> None:
    ids = open_nearest(live_server, page)
    page.get_by_role("button", name="报告问题").click()
    page.get_by_label("没有水").check()
    page.locator("#report-form textarea").fill(HOSTILE + " 饮水机坏了")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#receipt")).to_contain_text("状态：已收到")
    receipt = page.locator("#receipt").get_attribute("data-id") or ""
    shot(page, "report")
    stored = live_server.sql("SELECT station_id, kind, text, location FROM station_reports WHERE public_id = :p",
                             p=receipt)
    assert [tuple(r) for r in stored] == [(ids["near"], "no_water", HOSTILE + " 饮水机坏了", None)]
    live_server.sql("UPDATE station_reports SET status = 'in_progress' WHERE public_id = :p", p=receipt)
    page.get_by_role("button", name="查看状态").click()
    expect(page.locator("#receipt")).to_contain_text("处理中")
    assert httpx.get(f"{live_server.url}/api/v1/reports/{receipt}").json()["status"] == "in_progress"


def test_i_was_here_refreshes_verified_at(live_server: LiveServer, page: Page) -> None:
    ids = open_nearest(live_server, page)
    page.get_by_role("button", name="我到过这里").click()
    expect(page.locator("#receipt")).to_contain_text("谢谢")
    [(verified,)] = live_server.sql(
        "SELECT verified_at = (now() AT TIME ZONE 'Asia/Shanghai')::date FROM stations WHERE id = :i", i=ids["near"]
    )
    assert verified is True


def test_sign_page_opens_that_station(live_server: LiveServer, page: Page) -> None:
    lanzhou_stations(live_server)
    page.goto(live_server.url + "/s/620102Y0001")
    expect(page.locator("#sheet")).to_be_visible()
    expect(page.locator("#d-name")).to_have_text("城关区张掖路户外劳动者驿站")
    expect(page.locator("#d-facts")).to_contain_text("620102Y0001")
    shot(page, "sign")
    reply = httpx.get(live_server.url + "/s/NOPE123")
    assert reply.status_code == 404 and "NOPE123" in reply.text
