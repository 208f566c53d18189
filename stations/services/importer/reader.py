"""Reading an uploaded sheet: CSV (UTF-8 with or without BOM, GB18030) or XLSX, as a stream of rows of text.

Rows are handed on one at a time; the row, column and cell-size caps are enforced while reading, so a file past
them is refused at the first row past them, whatever it claims about itself. Each row costs its own cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Iterator, Sequence

from stations.services.importer import header as headers
from stations.services.importer import xlsx
from stations.services.importer.header import Cells
from stations.services.importer.limits import MB, Limits
from stations.services.importer.messages import refuse
from stations.services.importer.sheet import Header, RawRow, Sheet

XLSX_MAGIC = b"PK\x03\x04"


def _decodes(content: bytes, encoding: str) -> bool:
    """True if the whole content decodes; read a megabyte at a time, nothing kept."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for start in range(0, len(content), MB):
            decoder.decode(content[start : start + MB])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(content, encoding):
            return encoding
    raise refuse("not_text")


def _width(cells: Sequence[str]) -> int:
    """How many columns a record uses: up to its last non-empty field."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _checked(number: int, cells: Sequence[str], limits: Limits) -> Sequence[str]:
    if number > limits.max_rows + 1:
        raise limits.too_many_rows()
    if (width := _width(cells)) > limits.max_columns:
        raise limits.too_many_columns(number, width)
    if any(len(c) > limits.max_cell_chars for c in cells):
        raise limits.too_long_cell(number)
    return cells


def _cells(records: Iterator[list[str]], limits: Limits) -> Iterator[Cells]:
    """Each record as (row number, non-empty text by column from 1, no formulas), its caps checked."""
    number = 0
    try:
        for number, cells in enumerate(records, start=1):
            checked = _checked(number, cells, limits)
            yield number, {c: t.strip() for c, t in enumerate(checked, start=1) if t.strip()}, []
    except csv.Error as exc:
        raise refuse("csv_unreadable", row=number + 1, detail=str(exc)[:80]) from exc


def _body(cells: Iterator[Cells], header: Header) -> Iterator[RawRow]:
    for number, row, _ in cells:
        yield header.row(number, row)


def _records(content: bytes, encoding: str) -> Iterator[list[str]]:
    return csv.reader(io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline=""))


def _count(content: bytes, encoding: str) -> int:
    """How many records the file holds (0 when it cannot be read as CSV: the reading pass says where)."""
    try:
        return sum(1 for _ in _records(content, encoding))
    except csv.Error:
        return 0


def read_csv(content: bytes, limits: Limits) -> Sheet:
    """A CSV file's header (searched for past title rows) and rows, decoded as they are read; the row count is
    checked before any row is."""
    encoding = _encoding(content)
    if _count(content, encoding) > limits.max_rows + 1:
        raise limits.too_many_rows()
    cells = _cells(_records(content, encoding), limits)
    found = headers.find(cells)
    return Sheet(encoding=encoding, header=found.header, rows=_body(itertools.chain(found.after, cells), found.header),
                 before=found.before)


def read(content: bytes, filename: str, limits: Limits, *, sheet: str | None = None) -> Sheet:
    """The rows of an uploaded CSV or XLSX file (a workbook's sheet as asked, else the first usable one);
    ImportRefused (or ImportTooLarge) says what to fix."""
    name = filename.lower()
    if name.endswith(".xls") and not content.startswith(XLSX_MAGIC):
        raise refuse("old_xls")
    if content.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        return xlsx.read(content, limits, sheet=sheet)
    return read_csv(content, limits)
