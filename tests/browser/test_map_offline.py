"""A bad network: first-load weight, nothing render-blocking, the app shell and last results offline."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import lanzhou_stations, list_ids, shot, wait_for_list

pytestmark = pytest.mark.browser
BUDGET = 300 * 1024


def test_first_load_is_light_and_paints_before_scripts(live_server: LiveServer, page: Page) -> None:
    lanzhou_stations(live_server)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    page.wait_for_load_state("networkidle")
    tiles = {rid for rid, url in urls.items() if url.startswith("http://127.0.0.1:9/")}
    weight = sum(size for rid, size in sizes.items() if rid not in tiles)
    print(f"\nfirst load before tiles: {weight} bytes in {len(sizes) - len(tiles & sizes.keys())} responses")
    assert weight < BUDGET
    assert page.evaluate("document.head.querySelectorAll('script[src]').length") == 0  # nothing blocks first paint
    paint: list[dict[str, Any]] = page.evaluate("performance.getEntriesByType('paint').map(e => e.toJSON())")
    assert any(entry["name"] == "first-contentful-paint" for entry in paint)


def test_offline_reload_shows_the_last_results(live_server: LiveServer, context: BrowserContext, page: Page) -> None:
    lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    before = list_ids(page)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the service worker
    wait_for_list(page, 4)
    context.set_offline(True)
    page.reload()
    banner = page.locator("#banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("离线，显示")
    wait_for_list(page, 4)
    assert list_ids(page) == before
    shot(page, "offline")
    context.set_offline(False)
