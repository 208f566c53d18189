"""A heat alert on the worker map (issue 24): the banner with the alert, until when and the labour guidance; the
cool station first within the penalty; the reason a station is open late; the chip keeping only cool stations."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from playwright.sync_api import Page, expect

from stations.hours import SHANGHAI
from tests.browser.conftest import LANZHOU, LiveServer
from tests.browser.helpers import api_features, api_ids, list_ids, shot, wait_for_list

pytestmark = pytest.mark.browser
EVENING = datetime(2026, 7, 20, 21, 0, tzinfo=SHANGHAI)  # a Monday evening inside the alert


@pytest.fixture
def heat(live_server: LiveServer) -> Iterator[dict[str, int]]:
    """Three stations near the rider, one with a 24-hour heat mode, and an orange heat alert over 兰州市."""
    lon, lat = LANZHOU["longitude"], LANZHOU["latitude"]
    ids = {
        "plain": live_server.insert_station(lon=lon + 0.0011, lat=lat, name="张掖路驿站",
                                            amenities=["drinking_water"]),
        "daytime": live_server.insert_station(lon=lon, lat=lat + 0.0023, name="庆阳路驿站",
                                              hours="Mo-Fr 09:00-17:00", amenities=["seating"]),
        "cool": live_server.insert_station(lon=lon - 0.0045, lat=lat, name="酒泉路清凉驿站",
                                           amenities=["air_conditioning", "drinking_water", "first_aid"]),
    }
    live_server.sql("INSERT INTO station_alert_modes (station_id, alert_type, min_level, hours, offers, updated_by) "
                    "VALUES (:s, 'heat', 'orange', '24/7', '{drinking_water,first_aid}', 'test')", s=ids["daytime"])
    live_server.sql(
        "INSERT INTO weather_alerts (identifier, sender, source, alert_type, level, areas, starts_at, ends_at, "
        "headline, created_by) VALUES ('browser-heat', 'test', 'staff', 'heat', 'orange', '{620100}', "
        ":s, :e, '兰州市气象台发布高温橙色预警信号', 'test')",
        s=datetime(2026, 7, 20, 10, 0, tzinfo=SHANGHAI), e=datetime(2026, 7, 21, 20, 0, tzinfo=SHANGHAI))
    live_server.clock.now = EVENING
    _until_lookups_know_the_alert(live_server)
    yield ids
    live_server.sql("DELETE FROM weather_alerts WHERE identifier = 'browser-heat'")


def _until_lookups_know_the_alert(live: LiveServer) -> None:
    """The server reloads alerts every STATIONS_ALERT_CACHE_SECONDS (15 s): wait for a lookup that sees this one."""
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        if any("alert" in f["properties"] for f in api_features(live)):
            return
        time.sleep(0.5)
    pytest.fail("the nearest lookup never saw the alert")


def test_the_banner_and_the_ranking_during_a_heat_alert(live_server: LiveServer, heat: dict[str, int],
                                                        page: Page) -> None:
    page.goto(live_server.url + "/")
    wait_for_list(page, 3)
    # The cool station (about 400 m) comes before the plain one (about 100 m + the 500 m penalty).
    assert list_ids(page) == [heat["cool"], heat["plain"], heat["daytime"]] == api_ids(live_server)
    banner = page.locator("#alert-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("高温橙色预警")
    expect(banner).to_contain_text("至 7月21日 20:00")
    expect(banner).to_contain_text("6 小时")  # the 37 °C rule
    expect(banner).to_have_class("alert-banner level-orange")
    late = page.locator(f'#results .item[data-id="{heat["daytime"]}"]')
    expect(late).to_contain_text("高温延长开放")
    expect(page.locator(f'#results .item[data-id="{heat["cool"]}"]')).to_contain_text("有空调和饮水")
    shot(page, "alert")
    late.scroll_into_view_if_needed()
    shot(page, "alert-list")
    page.get_by_role("button", name="只看清凉驿站").click()
    wait_for_list(page, 1)
    assert list_ids(page) == [heat["cool"]] == api_ids(live_server, fits_alert="true")


def test_no_banner_and_the_plain_ranking_once_the_alert_is_over(live_server: LiveServer, heat: dict[str, int],
                                                                page: Page) -> None:
    live_server.clock.now = datetime(2026, 7, 22, 12, 0, tzinfo=SHANGHAI)
    page.goto(live_server.url + "/")
    wait_for_list(page, 3)
    assert list_ids(page) == [heat["plain"], heat["daytime"], heat["cool"]]
    expect(page.locator("#alert-banner")).to_be_hidden()
    expect(page.locator("#fits-alert")).to_be_hidden()
    assert httpx.get(live_server.url + "/api/v1/alerts").json()["count"] == 0
