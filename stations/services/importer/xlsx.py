"""Reading a sheet of an XLSX upload as a stream of rows, its zip checked against limits before parsing.

openpyxl is not used for uploads: it sizes every row from the sheet's own `<dimension>` claim (`A1:XFD2000` made
each row 16,384 cells) and applies no cap until it is done. Here the zip's declared sizes and the sheet's real row
count are checked first, then the sheet is parsed with expat 64 KB at a time; each row costs the cells it really
holds, the claim is never read, and the caps stop the read where they are passed. Cells are read as they are
stored (numbers as numbers, no number formats applied), as openpyxl did.

The sheet read is the one asked for, else the first visible sheet with a usable header (the others that have one
are named in the report). A merged cell's value is filled into every row it covers below the header.
"""

from __future__ import annotations

import itertools
import zipfile
from collections import deque
from collections.abc import Iterator

from stations.services.importer import header as headers
from stations.services.importer.header import Cells, Merge
from stations.services.importer.limits import Limits
from stations.services.importer.messages import Text, refuse
from stations.services.importer.sheet import Header, RawRow, Sheet
from stations.services.importer.xlsx_parts import (
    CORRUPT,
    SheetPart,
    column_of,
    local,
    locate,
    open_zip,
    parse,
    scan,
    shared_strings,
)

MOST_SHEETS_TRIED = 50


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
            raise refuse("rows_out_of_order", row=number, after=self.number)
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


class _Filler:
    """Fills a merged cell's value down into the rows it covers (merges starting below the header only)."""

    def __init__(self, merges: list[Merge], below: int) -> None:
        self.merges = sorted((m for m in merges if m[0] > below and m[2] > m[0]), reverse=True)
        self.active: list[tuple[int, int, int, str]] = []  # first row, last row, column, value
        self.filled = [0]

    def __call__(self, number: int, cells: dict[int, str]) -> None:
        while self.merges and self.merges[-1][0] <= number:
            r1, c1, r2, _ = self.merges.pop()
            if r1 == number and cells.get(c1):
                self.active.append((r1, r2, c1, cells[c1]))
                self.filled[0] += 1
        self.active = [m for m in self.active if m[1] >= number]
        for r1, _, column, value in self.active:
            if number > r1:
                cells.setdefault(column, value)


def _body(cells: Iterator[Cells], header: Header, fill: _Filler) -> Iterator[RawRow]:
    try:
        for number, row, formulas in cells:
            fill(number, row)
            yield header.row(number, row, formulas)
    except CORRUPT as exc:
        raise refuse("not_xlsx") from exc


def _where(sheet: SheetPart) -> Text:
    return Text(f"工作表“{sheet.name}”的", f" of sheet “{sheet.name}”")


def _choose(book: zipfile.ZipFile, sheets: list[SheetPart], strings: list[str], limits: Limits,
            wanted: str | None) -> tuple[SheetPart, list[str]]:
    """The sheet to read and the other sheets that look like station lists."""
    if wanted is not None:
        name = wanted.strip()
        match = next((s for s in sheets if s.name == name), None)
        if match is None and name.isdigit() and 1 <= int(name) <= len(sheets):
            match = sheets[int(name) - 1]
        if match is None:
            raise refuse("unknown_sheet", name=name[:40], names="、".join(s.name for s in sheets))
        return match, []
    candidates = [s for s in sheets if not s.hidden][:MOST_SHEETS_TRIED] or sheets[:1]
    good = [s for s in candidates if headers.usable(_cells(book, s.part, strings, limits))]
    return (good[0] if good else candidates[0]), [s.name for s in good[1:]]


def read(content: bytes, limits: Limits, *, sheet: str | None = None) -> Sheet:
    """A sheet of a workbook: the one named (by name or number), else the first with a usable header.

    The zip's sizes, then the sheet's real row count are checked before its rows are parsed; the caps hold again
    while the rows stream (a count can only be trusted as far as the scan that made it).
    """
    book = open_zip(content, limits)
    try:
        sheets, strings_part = locate(book)
        strings = shared_strings(book, strings_part, limits) if strings_part else []
        chosen, others = _choose(book, sheets, strings, limits, sheet)
        count, merges = scan(book, chosen.part)
        if count > limits.max_rows + 1:
            raise limits.too_many_rows()
        cells = _cells(book, chosen.part, strings, limits)
        found = headers.find(cells, merges=merges, where=_where(chosen))
    except CORRUPT as exc:
        raise refuse("not_xlsx") from exc
    fill = _Filler(merges, found.header.last_row)
    rows = _body(itertools.chain(found.after, cells), found.header, fill)
    return Sheet(encoding="xlsx", header=found.header, rows=rows, name=chosen.name, sheets=[s.name for s in sheets],
                 station_sheets=others, chosen=sheet is not None, before=found.before, filled=fill.filled)
