"""Headers as clerks write them, the header search, cells read as clerks type them, and notes grouped: no database."""

from __future__ import annotations

from datetime import date

import pytest

from stations.geo.crs import Crs
from stations.services.importer import cells, header, reader
from stations.services.importer.columns import Meaning, crs_word, understand
from stations.services.importer.limits import Limits
from stations.services.importer.messages import ImportRefused, Note, grouped, say
from stations.services.importer.sheet import skipped


@pytest.mark.parametrize(
    ("written", "meaning"),
    [
        ("驿站名称", Meaning("name")), ("站点名称*", Meaning("name")), (" 站 点 名 称 ", Meaning("name")),
        ("经度(高德)", Meaning("lon", Crs.GCJ02)), ("纬度（高德）", Meaning("lat", Crs.GCJ02)),
        ("经度【百度】", Meaning("lon", Crs.BD09)), ("经度(GPS)", Meaning("lon", Crs.WGS84)),
        ("经度(WGS84)", Meaning("lon", Crs.WGS84)), ("高德经度", Meaning("lon", Crs.GCJ02)),
        ("纬度_百度坐标", Meaning("lat", Crs.BD09)), ("经度", Meaning("lon")), ("Longitude", Meaning("lon")),
        ("经纬度", Meaning("lonlat")), ("联系方式", Meaning("phone")), ("电话", Meaning("phone")),
        ("手机", Meaning("phone")), ("所属区县", Meaning("district")), ("区县", Meaning("district")),
        ("行政区", Meaning("district")), ("是否悬挂统一标识", Meaning("sign_installed")),
        ("建成时间", Meaning("opened_on")), ("面积（平方米）", Meaning("area_m2")),
        ("地址\n(详细到门牌号)", Meaning("address")),
        ("序号", Meaning(None, unused="seq")), ("备注", Meaning(None, unused="remarks")), ("星级", Meaning(None)),
    ],
)
def test_headers_as_clerks_write_them(written: str, meaning: Meaning) -> None:
    assert understand(written) == meaning


@pytest.mark.parametrize(("cell", "crs"), [("高德", Crs.GCJ02), ("高德坐标", Crs.GCJ02), ("GCJ-02", Crs.GCJ02),
                                           ("百度", Crs.BD09), ("WGS84", Crs.WGS84), ("天地图", Crs.WGS84),
                                           ("火星坐标", Crs.GCJ02), ("不知道", None)])
def test_a_crs_cell(cell: str, crs: Crs | None) -> None:
    assert crs_word(cell) is crs


def _rows(text: str) -> list[tuple[int, dict[int, str], list[int]]]:
    return [(n, {c: t for c, t in enumerate(line.split(","), start=1) if t}, [])
            for n, line in enumerate(text.splitlines(), start=1)]


def test_the_header_is_found_under_a_title_and_a_blank_row() -> None:
    text = "兰州市驿站统计表\n\n序号,驿站名称,地址,经度,纬度,电话\n1,甲驿站,甘肃省兰州市城关区,103.8,36.0,1"
    found = header.find(iter(_rows(text)))
    assert (found.header.first_row, found.header.last_row) == (3, 3)
    assert found.before == [(1, "兰州市驿站统计表")]
    assert [r[0] for r in found.after] == [4]
    assert [(c.header, c.field, c.why) for c in found.header.columns] == [
        ("序号", None, "seq"), ("驿站名称", "name", None), ("地址", "address", None), ("经度", "lon", None),
        ("纬度", "lat", None), ("电话", "phone", None)]


def test_a_second_header_row_under_merged_group_titles() -> None:
    rows = _rows("名称,地址,坐标（高德）,,开放时间\n,,经度,纬度,\n甲驿站,城关区,103.8,36.0,24/7")
    found = header.find(iter(rows), merges=[(1, 3, 1, 4)])
    assert found.header.last_row == 2
    assert [(c.header, c.field, c.crs) for c in found.header.columns if c.field in ("lon", "lat")] == [
        ("坐标（高德）/经度", "lon", Crs.GCJ02), ("坐标（高德）/纬度", "lat", Crs.GCJ02)]


def test_a_field_named_twice_is_read_from_its_first_column() -> None:
    found = header.find(iter(_rows("名称,地址,经度,纬度,电话,联系电话")))
    assert [(c.header, c.why, c.other) for c in found.header.columns][-1] == ("联系电话", "repeat", "电话")


@pytest.mark.parametrize(("text", "code"), [
    ("只有标题\n\n", "no_header"), ("站点名称,类型\n甲,驿站", "missing_columns"),
    ("名称,地址,经度(高德),纬度(百度)", "crs_headers_differ")])
def test_a_sheet_without_a_usable_header_is_refused_saying_why(text: str, code: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        reader.read(text.encode(), "f.csv", Limits())
    assert refused.value.message.startswith(say(code, "zh", {"where": "", "where_en": "", "rows": 30, "row": 1,
                                                             "names": "“地址”、“经度”、“纬度”",
                                                             "names_en": "", "lon": "经度(高德)",
                                                             "lat": "纬度(百度)"})[0])


@pytest.mark.parametrize(("row", "why"), [
    ({1: "合计", 3: "12"}, "row_total"), ({2: "小 计"}, "row_total"), ({1: "填表人：李四  审核人：王五"}, "row_footer"),
    ({1: "制表日期：2026-11-30"}, "row_footer"), ({1: "1", 2: "合计驿站"}, None), ({1: "甲驿站", 2: "城关区"}, None)])
def test_totals_and_signature_rows_are_told_apart_from_stations(row: dict[int, str], why: str | None) -> None:
    assert skipped(row) == why


@pytest.mark.parametrize(("text", "expected", "code"), [
    ("2024-05-01", date(2024, 5, 1), None), ("2024/5/1", date(2024, 5, 1), None), ("2024年5月", date(2024, 5, 1),
                                                                                   "date_partial"),
    ("2022", date(2022, 1, 1), "date_partial"), ("45413", date(2024, 5, 1), None), ("去年", None, "date_unreadable")])
def test_dates_as_clerks_write_them(text: str, expected: date | None, code: str | None) -> None:
    notes: list[Note] = []
    assert cells.a_date(text, "opened_on", notes) == expected
    assert [n.code for n in notes] == ([code] if code else [])


@pytest.mark.parametrize(("text", "flag", "noted"), [("是", True, False), ("√", True, False), ("有", True, False),
                                                     ("否", False, False), ("", False, False), ("待定", False, True)])
def test_the_sign_flag(text: str, flag: bool, noted: bool) -> None:
    notes: list[Note] = []
    assert cells.yes_no(text, notes) is flag and bool(notes) is noted


def test_empty_hours_are_unknown_with_a_warning_never_24_7() -> None:
    notes: list[Note] = []
    assert cells.hours("", "hours", notes, required=True) == "unknown"
    assert [(n.code, n.level) for n in notes] == [("hours_empty", "warning")]
    assert cells.hours("", "self_service_hours", notes, required=False) is None


def test_weekends_off_without_a_holiday_rule_is_a_warning_with_the_rule_added() -> None:
    notes: list[Note] = []
    assert cells.hours("Mo-Fr 09:00-17:00; Sa,Su off", "hours", notes, required=True)
    assert notes[0].code == "hours_weekend_no_ph" and notes[0].params["value"] == "Mo-Fr 09:00-17:00; Sa,Su off; PH off"
    notes.clear()
    cells.hours("Mo-Fr 09:00-17:00; Sa,Su off; PH off", "hours", notes, required=True)
    assert notes == []


def test_the_same_note_on_many_rows_is_one_note_listing_them() -> None:
    notes = [Note("fullwidth", "note", column="经度", field="lon", rows=[n]) for n in range(2, 202)]
    notes += [Note("hours_bad", column="开放时间", field="hours", params={"value": "早8点", "hint": "x"}, rows=[5]),
              Note("fullwidth", "note", column="经度", field="lon", rows=[201])]  # the same row twice: listed once
    merged = grouped(notes)
    assert [(n.code, n.rows[:3], len(n.rows)) for n in merged] == [("fullwidth", [2, 3, 4], 200),
                                                                     ("hours_bad", [5], 1)]
    shown = merged[0].render("en")
    assert (shown["row"], shown["row_count"], shown["problem"]) == (
        2, 200, "full-width digits or signs were read as half-width")
