"""Exports are safe to open in Excel/WPS (no cell runs as a formula) and say hours in words."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from stations.services.feeds.export_records import safe_cell
from stations.services.feeds.exports import ExportFormat, stream
from tests.sync import writes

HOSTILE = {"name": "=1+2 城关驿站", "address": "@SUM(1+1)*cmd|' /C calc'!A0", "host_unit": "+HYPERLINK(\"x\")"}


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+2", "'=1+2"), ("+HYPERLINK(\"x\")", "'+HYPERLINK(\"x\")"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("+86 931 8123456", "'+86 931 8123456"),
        # unchanged: numbers, signed plain numbers, a lone dash, a dash inside the text
        (103.834301, 103.834301), (-12.5, -12.5), (7, 7), ("+8613912345678", "+8613912345678"), ("-12.5", "-12.5"),
        ("-", "-"), ("0931-8123456", "0931-8123456"), ("08:00-20:00", "08:00-20:00"), ("城关=驿站", "城关=驿站"),
        ("", ""),
    ],
)
def test_the_rule(value: object, safe: object) -> None:
    assert safe_cell(value) == safe


def _csv(session: Session, fmt: ExportFormat) -> list[dict[str, str]]:
    text = b"".join(stream(session=session, fmt=fmt)).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("fmt", [ExportFormat.CSV, ExportFormat.AMAP, ExportFormat.BAIDU, ExportFormat.TENCENT])
def test_csv_cells_that_could_run_are_neutralised_and_coordinates_and_phones_kept(
    session: Session, fmt: ExportFormat
) -> None:
    writes.create(session, phone="0931-8123456", **HOSTILE)
    (row,) = _csv(session, fmt)
    name, address = (row["name"], row["address"]) if fmt is ExportFormat.CSV else (row["名称"], row["地址"])
    assert (name, address) == ("'" + HOSTILE["name"], "'" + HOSTILE["address"])
    assert (row.get("phone") or row["电话"]) == "0931-8123456"
    lon = row.get("lon") or row["经度"]
    assert float(lon) > 100 and not lon.startswith("'")


def test_xlsx_writes_text_as_text_and_marks_formula_lookalikes(session: Session) -> None:
    writes.create(session, phone="0931-8123456", **HOSTILE)
    data = b"".join(stream(session=session, fmt=ExportFormat.XLSX))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet, "no cell is a formula"
    rows = list(load_workbook(io.BytesIO(data))["stations"].iter_rows())
    header = [cell.value for cell in rows[0]]
    cells = dict(zip(header, rows[1], strict=True))
    assert (cells["name"].value, cells["name"].data_type, cells["name"].quotePrefix) == (HOSTILE["name"], "s", True)
    assert (cells["phone"].value, cells["phone"].quotePrefix) == ("0931-8123456", False)
    assert cells["lon"].data_type == "n" and isinstance(cells["lon"].value, float)


def test_providers_read_hours_in_words_and_plain_files_keep_the_expression(session: Session) -> None:
    writes.create(session, hours="Mo-Fr 08:30-17:30; PH off", self_service_hours="Mo-Su 17:30-08:30",
                  access_methods=["qr_scan"])
    (amap,) = _csv(session, ExportFormat.AMAP)
    assert amap["营业时间"] == "周一至周五 08:30–17:30，法定节假日休息，调休上班日同周一"
    assert "自助开放：每天 17:30–次日08:30（扫码开门）" in amap["描述"]
    (plain,) = _csv(session, ExportFormat.CSV)
    assert plain["hours"] == "Mo-Fr 08:30-17:30; PH off" and plain["hours_text"] == amap["营业时间"]
    assert (plain["self_service_hours_text"], plain["access_methods"], plain["access_text"]) == (
        "每天 17:30–次日08:30", "qr_scan", "扫码开门")
