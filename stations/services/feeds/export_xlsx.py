"""The XLSX export: openpyxl write-only mode, rows written as they stream, spooled to a temp file.

An .xlsx is a zip whose directory comes last, so it cannot be sent before it is finished; write-only
mode keeps memory flat while the rows are written, and the finished file is read back in chunks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from openpyxl import Workbook
from sqlalchemy import RowMapping

from stations.services.feeds.export_records import PLAIN_COLUMNS, plain_record

CHUNK = 1 << 16


def xlsx(source: Iterator[RowMapping]) -> Iterator[bytes]:
    """Write a workbook (sheet `stations` plus an `about` sheet naming the coordinate system) and stream it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("stations")
    sheet.append(list(PLAIN_COLUMNS))
    for row in source:
        sheet.append(list(plain_record(row)))
    about = workbook.create_sheet("about")
    about.append(["坐标系 coordinate system", "WGS-84 (EPSG:4326); 高德/腾讯用 GCJ-02、百度用 BD-09，请用对应格式导出"])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
