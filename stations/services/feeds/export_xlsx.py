"""The XLSX export: openpyxl write-only mode, rows written as they stream, spooled to a temp file.

An .xlsx is a zip whose directory comes last, so it cannot be sent before it is finished; write-only
mode keeps memory flat while the rows are written, and the finished file is read back in chunks.

Text is written as text (openpyxl would store a name such as "=1+2" as a live formula), and text a spreadsheet
could take for a formula (`needs_guard`) is also marked quote-prefixed, as Excel marks what a user types after an
apostrophe, so it stays text when a clerk edits the cell; the text itself is unchanged.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from sqlalchemy import RowMapping

from stations.services.feeds.export_records import PLAIN_COLUMNS, needs_guard, plain_record

CHUNK = 1 << 16


def xlsx(source: Iterator[RowMapping]) -> Iterator[bytes]:
    """Write a workbook (sheet `stations` plus an `about` sheet naming the coordinate system) and stream it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("stations")
    sheet.append(list(PLAIN_COLUMNS))
    for row in source:
        sheet.append([_cell(sheet, value) for value in plain_record(row)])
    about = workbook.create_sheet("about")
    about.append(["坐标系 coordinate system", "WGS-84 (EPSG:4326); 高德/腾讯用 GCJ-02、百度用 BD-09，请用对应格式导出"])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """A text value as a text cell (quote-prefixed when it looks like a formula); anything else as it is."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    if needs_guard(value):
        cell.quotePrefix = True
    return cell
