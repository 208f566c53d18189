"""The worker page inside WeChat (its user agent in chromium) and over plain http: the Navigate sheet explains how
to leave WeChat and copies the address; without https the page falls back to the city picker and says why."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.browser.conftest import Guard, LiveServer, phone_context
from tests.browser.helpers import lanzhou_stations, shot, wait_for_list

pytestmark = pytest.mark.browser

WECHAT = ("Mozilla/5.0 (Linux; Android 12; V2118A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5061 MMWEBSDK/20230504 MMWEBID/1234 "
          "MicroMessenger/8.0.37.2380(0x28002537) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64")
INSECURE = "http://stations.test"
"""A name only this test's page knows: its requests are answered by the live server, but to chromium the page is
plain http on a public name, so not a secure context (no geolocation, no clipboard API)."""


@pytest.fixture
def wechat(browser: Browser, guard: Guard) -> Iterator[Page]:
    """A phone page that says it is WeChat's browser, allowed to locate and to use the clipboard."""
    ctx: BrowserContext = phone_context(browser, guard, user_agent=WECHAT,
                                        permissions=["geolocation", "clipboard-read", "clipboard-write"])
    yield ctx.new_page()
    ctx.close()
    assert guard.external == [], f"requests left the machine: {guard.external}"


def open_navigate(live: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live)
    page.goto(live.url + "/")
    wait_for_list(page, 4)
    page.locator(f'#results .item[data-id="{ids["near"]}"]').click()
    expect(page.locator("#d-facts")).to_contain_text("0931-8123456")
    page.get_by_role("button", name="导航").click()
    expect(page.locator("#d-navlinks")).to_be_visible()


def test_inside_wechat_navigate_explains_open_in_browser_and_copies_the_address(
    live_server: LiveServer, wechat: Page
) -> None:
    open_navigate(live_server, wechat)
    note = wechat.locator("#d-wechat")
    expect(note).to_be_visible()
    expect(note).to_contain_text("在浏览器中打开")
    wechat.get_by_role("button", name="复制地址").click()
    expect(wechat.locator("#d-copied")).to_contain_text("已复制")
    assert wechat.evaluate("navigator.clipboard.readText()") == "城关区张掖路户外劳动者驿站 甘肃省兰州市城关区示例路1号"
    shot(wechat, "wechat-navigate")
    wechat.get_by_role("button", name="导航").click()
    expect(note).to_be_hidden()


def test_outside_wechat_navigate_has_no_such_note(live_server: LiveServer, page: Page) -> None:
    open_navigate(live_server, page)
    expect(page.locator("#d-wechat")).to_be_hidden()


def test_over_plain_http_the_page_falls_back_to_cities_and_says_why(live_server: LiveServer, page: Page) -> None:
    lanzhou_stations(live_server)

    def serve(route: Route) -> None:
        route.fulfill(response=route.fetch(url=route.request.url.replace(INSECURE, live_server.url, 1)))

    page.route(f"{INSECURE}/**", serve)
    try:
        page.goto(INSECURE + "/")
        assert page.evaluate("window.isSecureContext") is False
        expect(page.locator("#status-text")).to_contain_text("不是 https")
        expect(page.locator("#city")).to_be_visible()
        wait_for_list(page, 4)  # stations near the map centre all the same
    finally:  # a request still in `serve` when the page closes raised "Fetch response has been disposed" at teardown
        page.unroute_all(behavior="ignoreErrors")
