"""Staff pages in Debian's chromium: login, register with a pin, import a messy file, edit conflict, restore."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser import screens
from tests.browser.conftest import LiveServer
from tests.browser.staff_fixtures import desk, log_in, no_dialogs, staff_server

pytestmark = pytest.mark.browser
__all__ = ["desk", "staff_server"]
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "import_sample_gb18030.csv"
Desk = Callable[[], BrowserContext]


def _shot(page: object, name: str) -> None:
    screens.save(page, f"staff-{name}", full_page=True)


def test_login_then_register_with_a_map_pin(staff_server: LiveServer, desk: Desk) -> None:
    page = desk().new_page()
    dialogs = no_dialogs(page)
    page.goto(f"{staff_server.url}/staff/login")
    page.fill("input[name=username]", "chengguan")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("用户名或密码错误")
    log_in(page, staff_server, "chengguan")
    expect(page.locator("h1")).to_contain_text("620102")

    page.goto(f"{staff_server.url}/staff/stations/new")
    page.fill("input[name=name]", "浏览器登记示例驿站")
    page.fill("input[name=address]", "甘肃省兰州市城关区浏览器路1号")
    page.fill("input[name=adcode]", "620102")
    page.select_option("#crs", "gcj02")
    page.check("input[name=amenities][value=drinking_water]")
    box = page.locator("#pin-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#lon")).not_to_have_value("")
    clicked = float(page.input_value("#lon"))
    marker = page.locator(".leaflet-marker-icon").bounding_box()
    assert marker is not None
    page.mouse.move(marker["x"] + marker["width"] / 2, marker["y"] + marker["height"] - 4)
    page.mouse.down()
    page.mouse.move(marker["x"] + 80, marker["y"] + marker["height"] - 4, steps=8)
    page.mouse.up()
    expect(page.locator("#lon")).not_to_have_value(f"{clicked:.6f}")
    assert float(page.input_value("#lon")) > clicked, "dragged east"
    _shot(page, "register")
    page.click("button:has-text('保存')")
    expect(page.locator(".notice")).to_contain_text("已保存")
    crs, lon = staff_server.sql("SELECT source_crs, source_lon FROM stations WHERE name = '浏览器登记示例驿站'")[0]
    assert crs == "gcj02" and abs(float(lon) - float(page.input_value("#lon"))) < 1e-6
    assert dialogs == []


def test_import_a_messy_spreadsheet_and_read_the_report(staff_server: LiveServer, desk: Desk) -> None:
    page = desk().new_page()
    dialogs = no_dialogs(page)
    log_in(page, staff_server, "admin")
    page.goto(f"{staff_server.url}/staff/imports")
    page.set_input_files("input[name=file]", str(SAMPLE))
    page.click("button:has-text('检查文件')")
    report = page.locator("#report")
    expect(report).to_contain_text("检查结果，尚未写入")
    rows = page.locator("table.issues tbody tr")
    expect(rows.filter(has_text="经度和纬度填反了")).to_have_count(1)
    expect(rows.filter(has_text="Mo-Su 08:00-18:00")).to_have_count(1)
    expect(rows.filter(has_text="行政区划代码 999999 不存在")).to_have_count(1)
    expect(rows.filter(has_text="重复")).to_have_count(1)
    _shot(page, "import-report")
    assert staff_server.sql("SELECT count(*) FROM stations")[0][0] == 0, "the dry run writes nothing"
    page.click("button:has-text('只导入无错误的 6 行')")
    expect(page.locator(".notice")).to_contain_text("已导入 6 个站点")
    page.goto(f"{staff_server.url}/staff/stations?q=onerror")
    expect(page.locator("table.list tbody")).to_contain_text("<img src=x onerror=alert(1)>示例驿站")
    _shot(page, "list")
    page.goto(f"{staff_server.url}/staff")
    expect(page.locator(".figures").first).to_contain_text("6")
    _shot(page, "dashboard")
    assert dialogs == [], "the HTML in a station name was shown as text"


def test_edit_conflict_then_restore(staff_server: LiveServer, desk: Desk) -> None:
    first, second = desk().new_page(), desk().new_page()
    log_in(first, staff_server, "chengguan")
    log_in(second, staff_server, "chengguan2")
    first.goto(f"{staff_server.url}/staff/stations/new")
    first.fill("input[name=name]", "冲突示例驿站")
    first.fill("input[name=address]", "甘肃省兰州市城关区冲突路1号")
    first.fill("#lon", "103.8343")
    first.fill("#lat", "36.0611")
    first.click("button:has-text('保存')")
    expect(first.locator(".notice")).to_contain_text("已保存")
    edit_url = first.url.split("?")[0]

    second.goto(edit_url)
    first.fill("input[name=name]", "张三改的名字")
    first.fill("input[name=reason]", "核实后更名")
    first.click("button:has-text('保存')")
    expect(first.locator(".notice")).to_contain_text("版本 2")
    second.fill("input[name=name]", "李四改的名字")
    second.click("button:has-text('保存')")
    expect(second.locator(".conflict")).to_contain_text("别人刚刚修改了这个站点")
    expect(second.locator("input[name=name]")).to_have_value("张三改的名字")
    _shot(second, "conflict")

    first.goto(f"{edit_url}/history")
    expect(first.locator("table.list tbody tr")).to_have_count(2)
    first.click("button:has-text('恢复到版本 1')")
    expect(first.locator(".notice")).to_contain_text("已恢复")
    expect(first.locator("table.list tbody tr").first).to_contain_text("恢复")
    _shot(first, "history")
    assert staff_server.sql("SELECT name FROM stations")[0][0] == "冲突示例驿站"
