"""Shared steps of the map's browser tests: arrange stations around the emulated position, read the list."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser import screens
from tests.browser.conftest import LANZHOU, PHONE, LiveServer

HOSTILE = "<img src=x onerror=alert(1)>"


def lanzhou_stations(live: LiveServer) -> dict[str, int]:
    """Four stations a few hundred metres from the emulated position, with different kinds and amenities."""
    lon, lat = LANZHOU["longitude"], LANZHOU["latitude"]
    return {
        "near": live.insert_station(
            lon=lon + 0.001, lat=lat, name="城关区张掖路户外劳动者驿站",
            amenities=["drinking_water", "microwave", "toilet"],
            hours="Mo-Su 08:00-22:00", self_service_hours="24/7", access_methods=["qr_scan"], phone="0931-8123456",
            sign_code="620102Y0001", verified_at="2026-10-01",
        ),
        "mothers": live.insert_station(
            lon=lon, lat=lat + 0.003, name="兰州中心爱心妈妈小屋", kind="mothers_room",
            amenities=["nursing_chair", "air_conditioning"], hours="Mo-Fr 09:00-17:00; PH off",
        ),
        "hostile": live.insert_station(lon=lon - 0.004, lat=lat, name=HOSTILE, address=HOSTILE,
                                       amenities=["drinking_water"]),
        "reading": live.insert_station(lon=lon + 0.006, lat=lat + 0.004, name="城关区职工书屋", kind="reading_room",
                                       amenities=["books", "wifi"]),
    }


def list_ids(page: Page) -> list[int]:
    """The station ids in the nearest list, in order."""
    return [int(x) for x in page.eval_on_selector_all("#results .item", "els => els.map(e => e.dataset.id)")]


def wait_for_list(page: Page, count: int) -> None:
    """Wait until the list shows `count` stations."""
    expect(page.locator("#results .item")).to_have_count(count, timeout=10_000)


def api_features(live: LiveServer, **params: object) -> list[dict[str, Any]]:
    """The features the nearest API returns for the emulated position, as the page asks for them."""
    query = {"lon": LANZHOU["longitude"], "lat": LANZHOU["latitude"], "limit": 20, "group": "site", "lang": "zh",
             **params}
    reply = httpx.get(live.url + "/api/v1/stations/nearest", params=query)  # type: ignore[arg-type]
    reply.raise_for_status()
    features: list[dict[str, Any]] = reply.json()["features"]
    return features


def api_ids(live: LiveServer, **params: object) -> list[int]:
    """The ids the nearest API returns for the emulated position, as the page asks for them."""
    return [f["id"] for f in api_features(live, **params)]


def shot(page: Page, name: str) -> None:
    """Save a screenshot of the phone screen as map-<name>.png (see tests/browser/screens.py)."""
    screens.save(page, f"map-{name}")


def denied_location_page(live: LiveServer, browser: Browser) -> Page:
    """The map on a phone that refused its location (no geolocation permission), Lanzhou's stations registered, no
    request leaving 127.0.0.1; it has said why it cannot locate the rider."""
    lanzhou_stations(live)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page = context.new_page()
    page.goto(live.url + "/")
    expect(page.locator("#status-text")).to_contain_text("没有定位权限")
    return page
