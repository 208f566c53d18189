"""The rider's map outdoors (issue 25): taps kept offline and sent once, status by shape and words as well as
colour, 48 px touch targets measured from the layout, chips that show they scroll, the filters in force, the last
place remembered when location is denied, English that reads as English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import denied_location_page, lanzhou_stations, shot, wait_for_list

pytestmark = pytest.mark.browser
MIN_TARGET = 48

# Every visible control's box, except the basemap's attribution (inline text links, WCAG 2.5.8's exception).
TARGETS_JS = """() => Array.from(document.querySelectorAll(
    'button, a[href], select, textarea, label.choice, .leaflet-marker-icon, input:not(label input)'))
  .filter(e => e.offsetParent !== null && !e.closest('.leaflet-control-attribution'))
  .map(e => { const r = e.getBoundingClientRect();
              return {what: (e.id || e.className || e.tagName) + ' ' + e.textContent.trim().slice(0, 12),
                      w: Math.round(r.width), h: Math.round(r.height)}; })"""


def small_targets(page: Page) -> list[dict[str, object]]:
    """Visible controls narrower or lower than 48 CSS pixels."""
    boxes: list[dict[str, object]] = page.evaluate(TARGETS_JS)
    assert boxes, "no controls measured"
    return [b for b in boxes if int(str(b["w"])) < MIN_TARGET or int(str(b["h"])) < MIN_TARGET]


def open_station(live: LiveServer, page: Page, station: int) -> None:
    page.locator(f'#results .item[data-id="{station}"]').click()
    expect(page.locator("#sheet")).to_be_visible()
    expect(page.locator("#d-facts")).to_contain_text("0931-8123456")


def test_a_report_made_offline_is_delivered_once_on_reconnect(
        live_server: LiveServer, context: BrowserContext, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    open_station(live_server, page, ids["near"])
    context.set_offline(True)
    page.get_by_role("button", name="报告问题").click()
    page.get_by_label("没有水").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#receipt")).to_contain_text("没有网络：报告已存在手机上")  # no "Failed to fetch"
    expect(page.locator("#outbox")).to_contain_text("1 条报告/确认已存在手机上")
    page.get_by_role("button", name="开着").click()  # a check-in too
    expect(page.locator("#checkin-result")).to_contain_text("没有网络")
    expect(page.locator("#outbox")).to_contain_text("2 条")
    shot(page, "offline-queued")
    assert live_server.sql("SELECT count(*) FROM station_reports")[0][0] == 0
    context.set_offline(False)
    expect(page.locator("#outbox")).to_contain_text("已送达", timeout=10_000)
    expect(page.locator("#receipt")).to_contain_text("状态：已收到")  # the sheet is still open on that station
    expect(page.locator("#checkin-result")).to_contain_text("谢谢！已记录：开着")
    shot(page, "offline-delivered")
    [(receipt,)] = live_server.sql("SELECT public_id FROM station_reports WHERE station_id = :i AND kind = 'no_water'",
                                   i=ids["near"])
    expect(page.locator("#outbox")).to_contain_text(receipt)
    page.evaluate("Stations.flushOutbox()")  # a second reconnect finds nothing left to send
    page.reload()
    wait_for_list(page, 4)
    assert live_server.sql("SELECT count(*) FROM station_reports")[0][0] == 1
    assert live_server.sql("SELECT count(*) FROM station_checkins")[0][0] == 1


def test_i_was_here_gives_one_receipt_however_often_it_is_tapped(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    open_station(live_server, page, ids["near"])
    here = page.get_by_role("button", name="我到过这里")
    here.click()
    expect(page.locator("#receipt")).to_contain_text("谢谢")
    expect(here).to_be_disabled()
    assert live_server.sql("SELECT count(*) FROM station_reports WHERE kind = 'was_here'")[0][0] == 1


def test_markers_say_their_state_by_shape_and_words_and_every_target_is_48px(
        live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    live_server.sql("UPDATE stations SET status = 'temporarily_closed' WHERE id = :i", i=ids["reading"])
    live_server.sql("UPDATE stations SET hours = 'unknown' WHERE id = :i", i=ids["hostile"])
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    # Zoom 15 around the rider: the four stations are 88 px or more apart, one marker each, all in view.
    page.evaluate("Stations.map.setView([36.0626, 103.8363], 15, {animate: false})")
    markers = page.locator(".leaflet-marker-icon.mk:not(.mk-cluster)")
    expect(markers).not_to_have_count(0)
    shapes = page.evaluate("""() => Array.from(document.querySelectorAll('.mk:not(.mk-cluster)')).map(m => {
        const s = getComputedStyle(m.querySelector('.mk-shape'));
        return [m.className.match(/mk-(open|shut|unsure)/)[1], m.querySelector('.mk-shape').textContent,
                m.querySelector('.mk-label').textContent, s.borderRadius, s.clipPath]; })""")
    by_state = {s[0]: s[1:] for s in shapes}
    assert by_state["open"][:2] == ["✓", "开放"] and by_state["open"][2] == "50%"
    assert by_state["shut"][:2] == ["✕", "关闭"] and by_state["shut"][2] == "3px"
    assert by_state["unsure"][:2] == ["?", "未确认"] and by_state["unsure"][3].startswith("polygon")
    expect(page.locator(f'#results .item[data-id="{ids["reading"]}"] .when')).to_have_text("暂停开放")
    assert small_targets(page) == []
    shot(page, "markers")
    page.evaluate("Stations.map.setZoom(12, {animate: false})")  # overlapping: one numbered cluster
    expect(page.locator(".mk-cluster")).to_have_count(1)
    assert page.locator(".mk-cluster .mk-shape").text_content() == "4"
    page.locator(".mk-cluster").click()
    expect(page.locator(".mk-cluster")).to_have_count(0)
    open_station(live_server, page, ids["near"])
    page.get_by_role("button", name="导航").click()
    page.get_by_role("button", name="报告问题").click()
    page.get_by_role("button", name="设施坏了").click()
    assert small_targets(page) == []


def test_chips_show_they_scroll_and_the_filters_in_force_clear_in_one_tap(
        live_server: LiveServer, page: Page) -> None:
    lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    row = page.locator("#amenities")
    expect(row).to_have_class("chips more-right")  # wider than the phone: faded at the right edge
    row.evaluate("r => { r.scrollLeft = r.scrollWidth; r.dispatchEvent(new Event('scroll')); }")
    expect(row).to_have_class("chips more-left")
    expect(page.locator("#active-filters")).to_be_hidden()
    page.get_by_role("button", name="饮水", exact=True).click()
    page.get_by_role("button", name="妈妈小屋", exact=True).click()
    expect(page.locator("#active-text")).to_have_text("正在筛选：妈妈小屋、饮水")
    expect(page.locator("#results .item")).to_have_count(0)
    shot(page, "filters-on")
    page.get_by_role("button", name="清除筛选").click()
    expect(page.locator("#active-filters")).to_be_hidden()
    wait_for_list(page, 4)
    assert page.locator('.chips [aria-pressed="true"]').all_text_contents() == ["全部"]


def test_offline_chips_filter_the_saved_list(live_server: LiveServer, context: BrowserContext, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    context.set_offline(True)
    page.get_by_role("button", name="妈妈小屋", exact=True).click()
    expect(page.locator("#banner")).to_contain_text("离线")
    wait_for_list(page, 1)
    assert page.locator("#results .item").get_attribute("data-id") == str(ids["mothers"])
    context.set_offline(False)


def test_with_location_denied_the_last_city_comes_back(live_server: LiveServer, browser: Browser) -> None:
    page = denied_location_page(live_server, browser)
    page.locator("#city").select_option(label="兰州市")
    wait_for_list(page, 4)
    page.reload()  # the next visit starts where the rider was, not in Beijing
    wait_for_list(page, 4)
    assert small_targets(page) == []  # the city picker too
    lanzhou = page.locator("#city option", has_text="兰州市").get_attribute("value") or ""
    expect(page.locator("#city")).to_have_value(lanzhou)
    page.context.close()


def test_english_reads_as_english(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/?lang=en")
    wait_for_list(page, 4)
    assert "Lanzhou" in page.locator("#city option").all_text_contents()
    page.locator(f'#results .item[data-id="{ids["near"]}"]').click()
    expect(page.locator("#d-facts")).to_contain_text("0931-8123456")
    facts = page.locator("#d-facts").inner_text()
    assert "、" not in facts and "Drinking water, " in facts
    assert "Daily 08:00–22:00" in facts and "to" + "Sun" not in facts  # hours in words from the API
    shot(page, "english")


STALE_TAP_JS = """([station, at]) => new Promise((resolve, reject) => {
  const req = indexedDB.open('stations-outbox', 1);
  req.onsuccess = () => {
    const tx = req.result.transaction('taps', 'readwrite');
    tx.objectStore('taps').put({key: 'stale0123456789abcdef0123456789ab', what: 'checkin', station, name: 'x',
                                body: {outcome: 'open', amenity: null}, at});
    tx.oncomplete = () => { req.result.close(); resolve(true); };
    tx.onerror = () => reject(tx.error);
  };
})"""


def test_a_check_in_that_waited_over_an_hour_is_dropped_not_sent(live_server: LiveServer, page: Page) -> None:
    ids = lanzhou_stations(live_server)
    page.goto(live_server.url + "/")
    wait_for_list(page, 4)
    two_hours_ago = page.evaluate("new Date(Date.now() - 7200e3).toISOString()")
    page.evaluate(STALE_TAP_JS, [ids["near"], two_hours_ago])
    page.evaluate("Stations.flushOutbox()")
    page.wait_for_function("""() => new Promise(resolve => {
      const req = indexedDB.open('stations-outbox', 1);
      req.onsuccess = () => { const all = req.result.transaction('taps').objectStore('taps').count();
                              all.onsuccess = () => { req.result.close(); resolve(all.result === 0); }; };
    })""")
    assert live_server.sql("SELECT count(*) FROM station_checkins")[0][0] == 0
