"""The downloadable import templates: the template headers of `columns.COLUMNS` with one example row."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from stations.services.importer.columns import COLUMNS, REQUIRED

_TEMPLATE = [c for c in COLUMNS if c.in_template]
_NEEDED = (*REQUIRED, "lon", "lat", "kind", "adcode")


def template_csv() -> bytes:
    """The template as UTF-8 CSV with a BOM (so Excel opens it as UTF-8), with one example row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.zh for c in _TEMPLATE])
    writer.writerow([c.example for c in _TEMPLATE])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """The template as an XLSX workbook: Chinese headers, an example row, English names in a second sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "站点"
    sheet.append([c.zh for c in _TEMPLATE])
    sheet.append([c.example for c in _TEMPLATE])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = book.create_sheet("说明")
    help_sheet.append(["表头", "English header", "必填", "也可写作", "示例"])
    for c in COLUMNS:
        help_sheet.append([c.zh, c.en, "是" if c.field in _NEEDED else "", "、".join(c.aliases), c.example])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
