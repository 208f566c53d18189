"""A clerk's real spreadsheet, checked in one process and read row by row: the header found under a merged title,
columns understood as clerks write them (datum in the header, 联系方式, 所属区县, 是否悬挂统一标识, 建成时间), every
unused column listed with why, the region code derived from the district and cross-checked, the datum of a file
that states none, unknown hours, grouped notes in Chinese and English. The files are built in tests/staff/
messy_files.py; HTTP, CLI and the staff page are in test_import_clerk_http.py and tests/browser."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stations.db.models import Station
from stations.geo.crs import Crs
from stations.geo.shapes import lonlat
from stations.hours import UNKNOWN
from stations.reference import Kind
from stations.services import importer
from stations.services.importer.messages import ImportConflict
from stations.services.registry import stations as station_service
from tests.factories import station_create
from tests.staff import messy_files as files


def _dry(session: Session, content: bytes, name: str, scope: str = "", **options: Any) -> Any:
    return importer.dry_run(session=session, content=content, filename=name, options=importer.Options(**options),
                            actor="t", scope=scope)


def by_row(report: dict[str, Any]) -> dict[int, list[tuple[str, str, str, str]]]:
    """Every note of a report as (level, column, code, suggestion), listed under each row it names."""
    out: dict[int, list[tuple[str, str, str, str]]] = {}
    for note in report["issues"]:
        for row in note["rows"]:
            out.setdefault(row, []).append((note["level"], note["column"], note["code"], note["suggestion"]))
    return {row: sorted(notes) for row, notes in sorted(out.items())}


def _sorted(expected: dict[int, list[tuple[str, str, str, str]]]) -> dict[int, list[tuple[str, str, str, str]]]:
    return {row: sorted(notes) for row, notes in expected.items()}


def test_the_district_offices_workbook_row_by_row(session: Session) -> None:
    report = _dry(session, files.lanzhou_workbook(), "城关区驿站统计.xlsx").report
    assert (report["sheet"], report["sheets"], report["header_rows"]) == ("城关区", ["城关区", "七里河区", "填表说明"],
                                                                          [3, 3])
    assert report["title"] == files.TITLE and report["crs"] == "gcj02"
    assert [n["code"] for n in report["file_notes"]] == [
        "header_at", "rows_before_header", "other_sheets", "crs_from_header", "kind_from_title",
        "adcode_derived_file", "merged_filled"]
    assert report["file_notes"][0]["problem"] == "表头在工作表“城关区”的第 3 行"
    assert report["file_notes"][2]["level"] == "warning" and report["file_notes"][2]["suggestion"].startswith(
        "--sheet 七里河区")
    unused = {c["header"]: c["use"] for c in report["columns"] if not c["imported"]}
    assert unused == {"序号": "未导入：这是序号，系统自己给站点编号", "星级": "未导入：不认识的表头",
                      "备注": "未导入：站点没有备注字段，需要保存的内容请写入对应的列"}
    used = {c["header"]: (c["field"], c["crs"]) for c in report["columns"] if c["imported"]}
    assert used["经度(高德)"] == ("lon", "gcj02") and used["联系方式"] == ("phone", None)
    assert used["所属区县"] == ("district", None) and used["是否悬挂统一标识"] == ("sign_installed", None)
    assert used["建成时间"] == ("opened_on", None)
    assert report["rows"] == {"4": "ok", "5": "rejected", "6": "ok", "7": "rejected", "8": "ok"}
    assert (report["total_rows"], report["skipped_rows"], report["empty_rows"]) == (7, 2, 0)
    derived = ("note", "行政区划代码", "adcode_derived", "620102")
    assert by_row(report) == _sorted({
        4: [derived],
        5: [("error", "开放时间", "hours_bad", "Mo-Fr 09:00-17:00; PH off"), derived,
            ("note", "建成时间", "date_partial", "2023-05-01"), ("note", "经度(高德)", "fullwidth", "")],
        6: [derived, ("note", "建成时间", "date_partial", "2022-01-01"),
            ("warning", "开放时间", "hours_empty", "Mo-Fr 09:00-17:00; PH off")],
        7: [("error", "所属区县", "place_disagrees", "城关区")],
        8: [derived, ("note", "类型", "kind_from_name", "爱心妈妈小屋"), ("note", "经度(高德)", "fullwidth", ""),
            ("warning", "开放时间", "hours_weekend_no_ph", "Mo-Fr 09:00-17:00; Sa,Su off; PH off")],
        9: [("note", "", "row_total", "")],
        10: [("note", "", "row_footer", "")],
    })
    notes = {n["code"]: n for n in report["issues"]}
    assert notes["adcode_derived"]["rows"] == [4, 5, 6, 8], "one note for every row it applies to"
    assert notes["fullwidth"]["rows"] == [5, 8] and notes["fullwidth"]["row_count"] == 2
    assert notes["place_disagrees"]["problem"] == (
        "所属区县“七里河区”与地址“甘肃省兰州市城关区”不符，地址、坐标都在 城关区（620102）")
    assert notes["hours_empty"]["problem"].startswith("开放时间为空：记为“开放时间未知”")


def test_the_same_report_in_english(session: Session) -> None:
    report = _dry(session, files.lanzhou_workbook(), "f.xlsx").report
    english = report["en"]
    assert english["file_notes"][0]["problem"] == "the header is on row 3 of sheet “城关区”"
    assert [i["code"] for i in english["issues"]] == [i["code"] for i in report["issues"]]
    place = next(i for i in english["issues"] if i["code"] == "place_disagrees")
    assert place["problem"] == ("the district “七里河区” disagrees with the address “甘肃省兰州市城关区”; the address "
                                "and the point are in 城关区 (620102)") and place["suggestion"] == "城关区"
    assert place["column"] == "所属区县", "the column as the clerk wrote it, in either language"
    unused = {c["header"]: c["use"] for c in english["columns"] if not c["imported"]}
    assert unused["星级"] == "not imported: unknown header"


def test_applying_stores_what_the_columns_mean(session: Session) -> None:
    job = _dry(session, files.lanzhou_workbook(), "f.xlsx")
    applied = importer.apply(session=session, job_id=job.id, mode="valid", actor="t")
    assert applied.report["created"] == 3
    stored = {s.name: s for s in session.scalars(select(Station).where(Station.id.in_(applied.report["created_ids"])))}
    first = stored["城关区张掖路户外劳动者驿站"]
    assert (first.adcode, first.phone, first.sign_installed, str(first.opened_on)) == (
        "620102", "0931-8123456", True, "2024-05-01")
    assert first.source_crs == "gcj02" and (first.source_lon, first.source_lat) == files.gcj(files.CHENGGUAN[0])
    assert lonlat(first.geom) == pytest.approx(files.CHENGGUAN[0], abs=1e-6), "stored in WGS-84"
    assert first.amenities == ["drinking_water", "microwave", "phone_charging"], "full-width commas split"
    assert stored["城关区皋兰路驿站"].hours == UNKNOWN, "empty hours are unknown, never 24/7"
    assert stored["城关区南关爱心妈妈小屋"].kind is Kind.MOTHERS_ROOM, "the name said so, not the title"


def test_a_chosen_sheet_with_a_two_row_header(session: Session) -> None:
    report = _dry(session, files.lanzhou_workbook(), "f.xlsx", sheet="七里河区").report
    assert report["sheet"] == "七里河区" and report["header_rows"] == [2, 3]
    assert [n["code"] for n in report["file_notes"]][:4] == ["header_at", "header_two_rows", "rows_before_header",
                                                             "sheet_chosen"]
    assert {c["header"]: c["crs"] for c in report["columns"] if c["field"] in ("lon", "lat")} == {
        "坐标（高德）/经度": "gcj02", "坐标（高德）/纬度": "gcj02"}
    assert report["rows"] == {"4": "ok", "5": "rejected", "6": "ok"}
    assert by_row(report)[5] == sorted([("error", "开放时间", "hours_bad", "Mo-Fr 08:30-17:30; PH off"),
                                        ("note", "行政区划代码", "adcode_derived", "620103")])


def test_an_unknown_sheet_is_refused_naming_the_sheets(session: Session) -> None:
    from stations.services.importer.messages import ImportRefused

    with pytest.raises(ImportRefused) as refused:
        _dry(session, files.lanzhou_workbook(), "f.xlsx", sheet="西固区")
    assert refused.value.message.startswith("工作簿里没有工作表“西固区”：有 城关区、七里河区、填表说明")
    assert refused.value.en.startswith("the workbook has no sheet “西固区”")


def _register_true_points(session: Session) -> list[int]:
    return [station_service.create(session=session, data=station_create(
        name=name, lon=lon, lat=lat, adcode="620102", address=f"甘肃省兰州市城关区{name}1号")).id
        for name, (lon, lat) in zip(files.NO_DATUM_NAMES, files.CHENGGUAN, strict=False)]


def test_a_file_without_a_datum_whose_points_are_amaps_must_say_so_before_apply(session: Session) -> None:
    ids = _register_true_points(session)
    job = _dry(session, files.no_datum_csv(), "no-datum.csv")
    report = job.report
    assert report["needs"] == ["crs"] and report["crs"] is None
    warning = next(n for n in report["file_notes"] if n["code"] == "crs_looks_gcj02")
    assert warning["level"] == "warning" and "3 个站点与已登记的同名站点相差" in warning["problem"]
    low, high = (float(x) for x in warning["problem"].split("相差 ")[1].split(" 米")[0].split("–"))
    assert 150 < low <= high < 300, "Lanzhou's GCJ-02 shift is about 220 m"
    assert report["rows"] == {"2": "duplicate", "3": "duplicate", "4": "duplicate"}, "likely the same stations"
    twin = next(i for i in report["issues"] if i["code"] == "dup_datum_registered" and i["row"] == 2)
    assert f"#{ids[0]}" in twin["problem"] and twin["suggestion"].startswith("本行坐标像是高德/腾讯坐标")
    with pytest.raises(ImportConflict, match="没有说明坐标系"):
        importer.apply(session=session, job_id=job.id, mode="valid", actor="t")
    stated = _dry(session, files.no_datum_csv(), "no-datum.csv", crs=Crs.GCJ02).report
    assert stated["needs"] == [] and stated["rows"] == {"2": "duplicate", "3": "duplicate", "4": "duplicate"}
    assert {i["code"] for i in stated["issues"]} == {"dup_registered"}, "compared in WGS-84 after conversion"


def test_registered_in_the_wrong_datum_is_a_likely_duplicate(session: Session) -> None:
    wrong = files.gcj(files.CHENGGUAN[0])  # an Amap point stored as if it were GPS
    station_service.create(session=session, data=station_create(name="张掖路驿站", lon=wrong[0], lat=wrong[1],
                                                               adcode="620102"))
    csv = ("站点名称,类型,地址,经度,纬度,坐标系,行政区划代码,开放时间\n"
           f"张掖路驿站,驿站,甘肃省兰州市城关区张掖路1号,{files.CHENGGUAN[0][0]},{files.CHENGGUAN[0][1]},WGS84,620102,24/7\n")
    report = _dry(session, csv.encode(), "f.csv").report
    assert report["rows"] == {"2": "duplicate"} and report["needs"] == []
    note = report["issues"][0]
    assert note["code"] == "dup_datum_registered"
    assert note["suggestion"].startswith("已登记站点的坐标可能按错误的坐标系录入")


def test_a_file_without_a_datum_and_nothing_to_compare_is_read_as_wgs84_and_says_so(session: Session) -> None:
    report = _dry(session, files.no_datum_csv(), "f.csv").report
    assert report["needs"] == [] and report["rows"] == {"2": "ok", "3": "ok", "4": "ok"}
    assert report["file_notes"][-1]["code"] == "crs_assumed"


def test_a_city_editor_imports_every_district_and_a_county_editor_only_their_own(session: Session) -> None:
    city = _dry(session, files.lanzhou_city_csv(), "f.csv", scope="6201").report
    assert city["valid"] == 6 and city["rejected"] == 0
    derived = {n["suggestion"] for n in city["issues"] if n["code"] == "adcode_derived"}
    assert derived == {"620102", "620103", "620104"}
    county = _dry(session, files.lanzhou_city_csv(), "f.csv", scope="620102").report
    assert county["rows"] == {"2": "ok", "3": "ok", "4": "rejected", "5": "rejected", "6": "rejected",
                              "7": "rejected"}
    outside = next(n for n in county["issues"] if n["code"] == "outside_scope" and 4 in n["rows"])
    assert outside["problem"] == "620103（甘肃省兰州市七里河区）不在你的管辖区域 620102（甘肃省兰州市城关区）内"
    assert outside["rows"] == [4, 5]


def test_an_address_and_a_code_of_two_districts_of_one_city(session: Session) -> None:
    lon, lat = files.CHENGGUAN[0]
    csv = ("站点名称,类型,地址,经度,纬度,坐标系,行政区划代码,开放时间\n"
           f"东岗驿站,驿站,甘肃省兰州市城关区东岗西路1号,{lon},{lat},WGS84,620103,24/7\n"
           f"西站驿站,驿站,甘肃省兰州市城关区西津西路1号,{files.QILIHE[0][0]},{files.QILIHE[0][1]},WGS84,620103,24/7\n")
    report = _dry(session, csv.encode(), "f.csv").report
    assert report["rows"] == {"2": "rejected", "3": "rejected"}
    code_wrong, address_wrong = (next(n for n in report["issues"] if row in n["rows"]) for row in (2, 3))
    assert (code_wrong["code"], code_wrong["column"], code_wrong["suggestion"]) == (
        "adcode_disagrees", "行政区划代码", "620102"), "the address and the point say 城关区"
    assert (address_wrong["code"], address_wrong["column"], address_wrong["suggestion"]) == (
        "address_disagrees", "地址", "甘肃省兰州市七里河区西津西路1号"), "the code and the point say 七里河区"
