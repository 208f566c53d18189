"""Reading an uploaded sheet: CSV (UTF-8 with or without BOM, GB18030) or XLSX, into rows of text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from stations.errors import InvalidInput
from stations.services.importer.columns import REQUIRED, field_of

XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class RawRow:
    """One data row: its spreadsheet row number (header is row 1) and text per field."""

    number: int
    values: dict[str, str]
    formulas: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """The rows of a file, how it was read and which headers were not understood."""

    rows: list[RawRow]
    encoding: str
    ignored_headers: list[str]


def _text(value: Any) -> str:
    """A cell as the text a clerk typed (620102.0 -> 620102, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content.decode("utf-8-sig"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "the file is neither UTF-8 nor GB18030 text: save it from Excel as CSV (UTF-8) or as .xlsx"
        ) from exc


def _rows(header: Sequence[Any], body: Iterable[Sequence[Any]], encoding: str) -> Sheet:
    fields = [field_of(_text(h)) for h in header]
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise InvalidInput(
            f"the header row lacks required columns {', '.join(missing)}: download the template "
            "(GET /api/v1/imports/template.csv or .xlsx) and keep its first row"
        )
    ignored = [_text(h) for h, f in zip(header, fields, strict=True) if f is None and _text(h)]
    rows = []
    for number, cells in enumerate(body, start=2):
        values = {f: _text(v) for f, v in zip(fields, cells, strict=False) if f is not None}
        rows.append(RawRow(number=number, values=values))
    return Sheet(rows=rows, encoding=encoding, ignored_headers=ignored)


def _read_csv(content: bytes) -> Sheet:
    text, encoding = _decode(content)
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        raise InvalidInput("the file is empty: it needs a header row and at least one station")
    return _rows(records[0], records[1:], encoding)


def _read_xlsx(content: bytes) -> Sheet:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged or non-XLSX zip
        raise InvalidInput("the file is not a readable .xlsx workbook: open and re-save it in Excel") from exc
    sheet = book.worksheets[0]
    records = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    if not records:
        raise InvalidInput("the first sheet is empty: it needs a header row and at least one station")
    result = _rows(records[0], records[1:], "xlsx")
    if any(v is None for r in records[1:] for v in r if any(x is not None for x in r)):
        _mark_formulas(content, result)
    return result


def _mark_formulas(content: bytes, sheet: Sheet) -> None:
    """Note cells holding a formula without a saved value (openpyxl cannot compute formulas)."""
    book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    records = book.worksheets[0].iter_rows(values_only=True)
    header = [field_of(_text(h)) for h in next(records)]
    by_number = {r.number: r for r in sheet.rows}
    for number, cells in enumerate(records, start=2):
        for name, value in zip(header, cells, strict=False):
            if name and isinstance(value, str) and value.startswith("=") and not by_number[number].values.get(name):
                by_number[number].formulas.append(name)
    book.close()


def read(content: bytes, filename: str) -> Sheet:
    """The rows of an uploaded CSV or XLSX file; InvalidInput says what to fix when it cannot be read."""
    name = filename.lower()
    if name.endswith(".xls") and not content.startswith(XLSX_MAGIC):
        raise InvalidInput("old .xls workbooks are not supported: save the file as .xlsx or CSV in Excel")
    if content.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)
