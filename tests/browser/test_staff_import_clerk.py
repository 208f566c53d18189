"""The staff import page in Debian's chromium with a district office's real-looking workbook (built in the test):
the report read row by row from the page, the columns not imported, English with lang=en, another sheet chosen
from the page's select, and a file without a datum that must state it before the apply buttons appear."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser import screens
from tests.browser.conftest import LiveServer
from tests.browser.staff_fixtures import desk, log_in, no_dialogs, staff_server
from tests.staff import messy_files as files

pytestmark = pytest.mark.browser
__all__ = ["desk", "staff_server"]
Desk = Callable[[], BrowserContext]


def _rows(page: Page) -> dict[str, list[tuple[str, str, str, str]]]:
    """The report's notes as the page shows them: rows cell -> (level, column, problem's start, suggestion)."""
    out: dict[str, list[tuple[str, str, str, str]]] = {}
    for tr in page.locator("table.issues tbody tr").all():
        cells = [c.inner_text().strip() for c in tr.locator("td").all()]
        out.setdefault(cells[0], []).append((cells[1], cells[2], cells[3][:14], cells[4]))
    return out


def _upload(page: Page, server: LiveServer, path: Path) -> None:
    page.goto(f"{server.url}/staff/imports")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('检查文件')")
    expect(page.locator("#report h2")).to_contain_text("检查结果，尚未写入", timeout=60_000)


def test_a_district_workbook_on_the_staff_page(staff_server: LiveServer, desk: Desk, tmp_path: Path) -> None:
    book = tmp_path / "城关区驿站统计.xlsx"
    book.write_bytes(files.lanzhou_workbook())
    page = desk().new_page()
    dialogs = no_dialogs(page)
    log_in(page, staff_server, "chengguan")
    _upload(page, staff_server, book)
    notes = page.locator("ul.file-notes li")
    expect(notes.first).to_contain_text("表头在工作表“城关区”的第 3 行")
    expect(notes.filter(has_text="七里河区”看起来也是站点表")).to_have_count(1)
    unused = page.locator("table.columns tr.unused")
    expect(unused).to_have_count(3)
    expect(unused.nth(1)).to_contain_text("星级")
    expect(unused.nth(1)).to_contain_text("未导入：不认识的表头")
    rows = _rows(page)
    assert rows["4, 5, 6, 8"] == [("提示", "行政区划代码", "没有行政区划代码：按所属区县", "620102")]
    assert ("错误", "开放时间", "“周一至周五 9:00-17", "Mo-Fr 09:00-17:00; PH off") in rows["5"]
    assert rows["5, 8"] == [("提示", "经度(高德)", "全角数字或符号已按半角读取", "")]
    assert ("警告", "开放时间", "开放时间为空：记为“开放时间", "Mo-Fr 09:00-17:00; PH off") in rows["6"]
    assert rows["7"] == [("错误", "所属区县", "所属区县“七里河区”与地址“", "城关区")]
    assert ("警告", "开放时间", "写了周六、周日休息却没写法定", "Mo-Fr 09:00-17:00; Sa,Su off; PH off") in rows["8"]
    assert rows["9"] == [("提示", "", "合计行，已跳过", "")] and rows["10"][0][2] == "表尾的签字或说明行，已跳过"
    screens.save(page, "staff-import-clerk-report", full_page=True)

    page.click("a.lang")
    expect(page.locator("ul.file-notes li").first).to_contain_text("the header is on row 3 of sheet “城关区”")
    assert _rows(page)["7"] == [("error", "所属区县", "the district “", "城关区")]

    page.select_option("form.recheck select[name=sheet]", "七里河区")
    page.click("form.recheck button")
    expect(page.locator("ul.file-notes li").first).to_contain_text("row 2 of sheet “七里河区”", timeout=60_000)
    rows = _rows(page)
    assert ("error", "开放时间", "“工作日 8:30-17:3", "Mo-Fr 08:30-17:30; PH off") in rows["5"]
    outside = rows["4, 5, 6"][0]
    assert outside[:2] == ("error", "行政区划代码") and outside[2].startswith("620103 (甘肃省兰州")
    expect(page.locator("form.apply")).to_have_count(0)  # 城关区's editor cannot touch 七里河区
    assert staff_server.sql("SELECT count(*) FROM stations")[0][0] == 0
    assert dialogs == []


def test_a_file_without_a_datum_asks_for_it_on_the_page(staff_server: LiveServer, desk: Desk, tmp_path: Path) -> None:
    truth, amap = tmp_path / "truth.csv", tmp_path / "amap.csv"
    truth.write_bytes(files.truth_csv())
    amap.write_bytes(files.no_datum_csv())
    page = desk().new_page()
    log_in(page, staff_server, "chengguan")
    _upload(page, staff_server, truth)
    page.click("button:has-text('只导入无错误的 3 行')")
    expect(page.locator(".notice")).to_contain_text("已导入 3 个站点", timeout=60_000)
    _upload(page, staff_server, amap)
    expect(page.locator(".needs-crs")).to_contain_text("文件没有说明坐标系")
    expect(page.locator("form.apply")).to_have_count(0)
    expect(page.locator("ul.file-notes li.warning")).to_contain_text("3 个站点与已登记的同名站点相差")
    screens.save(page, "staff-import-needs-crs", full_page=True)
    page.select_option("form.recheck select[name=crs]", "gcj02")
    page.click("form.recheck button")
    expect(page.locator(".figures")).to_contain_text("3重复（跳过）", timeout=60_000)
    expect(page.locator(".needs-crs")).to_have_count(0)
    assert staff_server.sql("SELECT count(*) FROM stations")[0][0] == 3
