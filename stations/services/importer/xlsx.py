"""Reading the first sheet of an XLSX upload as a stream of rows, its zip checked against limits before parsing.

openpyxl is not used for uploads: it sizes every row from the sheet's own `<dimension>` claim (`A1:XFD2000` made
each row 16,384 cells) and applies no cap until it is done. Here the zip's declared sizes and the sheet's real row
count are checked first, then the sheet is parsed with expat 64 KB at a time; each row costs the cells it really
holds, the claim is never read, and the caps stop the read where they are passed. Cells are read as they are
stored (numbers as numbers, no number formats applied), as openpyxl did.
"""

from __future__ import annotations

import zipfile
from collections import deque
from collections.abc import Iterator

from stations.errors import InvalidInput
from stations.services.importer.limits import Limits
from stations.services.importer.sheet import Header, RawRow, Sheet
from stations.services.importer.xlsx_parts import (
    CORRUPT,
    NOT_XLSX,
    count_rows,
    local,
    locate,
    open_zip,
    parse,
    shared_strings,
)

Cells = tuple[int, dict[int, str], list[int]]  # row number, text by column (from 1), columns of unsaved formulas
_MAX_COLUMN = 16_384  # XFD, Excel's last column


def column_of(ref: str) -> int:
    """The column number of a cell reference (B7 -> 2); 0 when it has no letters."""
    number = 0
    for char in ref:
        digit = ord(char) - 64
        if not 1 <= digit <= 26:
            break
        number = number * 26 + digit
        if number > _MAX_COLUMN:
            break
    return number


def number_text(text: str) -> str:
    """A stored number as a clerk typed it (620102.0 -> 620102, 103.834300 -> 103.8343)."""
    try:
        value = float(text)
    except ValueError:
        return text.strip()
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


class _Rows:
    """expat handlers collecting each `<row>` of a sheet into (number, cells, formula columns)."""

    def __init__(self, strings: list[str], limits: Limits) -> None:
        self.strings, self.limits = strings, limits
        self.done: deque[Cells] = deque()
        self.count = self.number = self.column = self.chars = 0
        self.cells: dict[int, str] = {}
        self.formulas: list[int] = []
        self.kind, self.text = "n", list[str]()
        self.in_value = self.in_inline = self.phonetic = self.has_formula = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "c":
            ref = attrs.get("r")
            self.column = column_of(ref) if ref else self.column + 1
            self.kind, self.has_formula, self.chars = attrs.get("t", "n"), False, 0
            self.text.clear()
        elif tag == "v" or (tag == "t" and self.in_inline and not self.phonetic):
            self.in_value = True
        elif tag == "f":
            self.has_formula = True
        elif tag == "is":
            self.in_inline = True
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "row":
            self._start_row(attrs.get("r"))

    def _start_row(self, ref: str | None) -> None:
        self.count += 1
        if self.count > self.limits.max_rows + 1:
            raise self.limits.too_many_rows()
        number = int(ref) if ref else self.number + 1
        if number <= self.number:
            raise InvalidInput(f"工作表的第 {number} 行排在第 {self.number} 行之后：请在 Excel 中另存为 .xlsx 后再导入")
        self.number, self.column, self.cells, self.formulas = number, 0, {}, []

    def end(self, name: str) -> None:
        tag = local(name)
        if tag in ("v", "t"):
            self.in_value = False
        elif tag == "c":
            self._end_cell()
        elif tag == "is":
            self.in_inline = False
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "row":
            self.done.append((self.number, self.cells, self.formulas))

    def characters(self, data: str) -> None:
        if self.in_value:
            self.text.append(data)
            self.chars += len(data)
            if self.chars > self.limits.max_cell_chars:
                raise self.limits.too_long_cell(self.number)

    def _end_cell(self) -> None:
        value = self._value("".join(self.text))
        if value:
            if self.column > self.limits.max_columns:
                raise self.limits.too_many_columns(self.number, self.column)
            self.cells[self.column] = value
        elif self.has_formula:
            self.formulas.append(self.column)

    def _value(self, text: str) -> str:
        if not text:
            return ""
        if self.kind == "s":
            return self.strings[int(text)].strip()
        if self.kind == "b":
            return "True" if text == "1" else "False"
        if self.kind in ("inlineStr", "str", "e", "d"):
            return text.strip()
        return number_text(text)


def _cells(book: zipfile.ZipFile, part: str, strings: list[str], limits: Limits) -> Iterator[Cells]:
    rows = _Rows(strings, limits)
    with book.open(part) as stream:
        for _ in parse(stream, rows.start, rows.end, rows.characters):
            while rows.done:
                yield rows.done.popleft()


def _body(cells: Iterator[Cells], header: Header) -> Iterator[RawRow]:
    try:
        for number, row, formulas in cells:
            named = [header.fields[c] for c in formulas if c in header.fields]
            yield RawRow(number=number, values=header.from_cells(row), formulas=named)
    except CORRUPT as exc:
        raise InvalidInput(NOT_XLSX) from exc


def read(content: bytes, limits: Limits) -> Sheet:
    """The first sheet of a workbook: the first row holding anything is the header, the rows after it the data.

    The zip's sizes, then the sheet's real row count are checked before anything is parsed; the caps hold again
    while the rows stream (a count can only be trusted as far as the scan that made it).
    """
    book = open_zip(content, limits)
    try:
        part, strings_part = locate(book)
        if count_rows(book, part) > limits.max_rows + 1:
            raise limits.too_many_rows()
        strings = shared_strings(book, strings_part, limits) if strings_part else []
        cells = _cells(book, part, strings, limits)
        first = next((c for c in cells if c[1]), None)
    except CORRUPT as exc:
        raise InvalidInput(NOT_XLSX) from exc
    if first is None:
        raise InvalidInput("第一个工作表是空的：需要一行表头和至少一行站点")
    header = Header.parse(first[1])
    return Sheet(encoding="xlsx", ignored_headers=header.ignored, header_row=first[0], rows=_body(cells, header))
