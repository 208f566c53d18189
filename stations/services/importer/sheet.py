"""What the readers hand on: a sheet's header (which column means what, and the columns not used, with why) and
its rows as a stream of text per field."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stations.geo.crs import Crs

_TOTALS = {"合计", "总计", "小计", "共计", "累计", "合计:", "总计:", "total"}
_FOOTERS = ("填表人", "填报人", "制表人", "审核人", "审核", "负责人签字", "签字", "填报单位", "填表单位", "填表日期",
            "填报日期", "制表日期", "制表", "联系人:", "备注:", "说明:", "注:", "注1", "附注")
_SPACES = re.compile(r"[\s\u3000]+")


@dataclass
class RawRow:
    """One data row: its spreadsheet row number, text per field, fields holding unsaved formulas, and why it is
    skipped (`row_total`, `row_footer`) if it is not a station."""

    number: int
    values: dict[str, str]
    formulas: list[str] = field(default_factory=list)
    skip: str | None = None


@dataclass(frozen=True)
class ColumnUse:
    """One column of the header: its number (from 1), its header as the clerk wrote it, the field it fills and
    the datum it states; for a column not used, why (`unknown`, `seq`, `remarks`, `repeat`, `no_header`) and the
    header it repeats or most looks like."""

    number: int
    header: str
    field: str | None = None
    crs: Crs | None = None
    why: str | None = None
    other: str = ""

    @property
    def letter(self) -> str:
        """The column's letters as Excel shows them (1 -> A, 28 -> AB)."""
        n, out = self.number, ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            out = chr(65 + rest) + out
        return out


class Header:
    """The header found in a sheet: its rows, every column's use, and the unnamed columns rows turned out to fill."""

    def __init__(self, *, first_row: int, last_row: int, columns: list[ColumnUse]) -> None:
        self.first_row, self.last_row, self.columns = first_row, last_row, columns
        self.fields = {c.number: c.field for c in columns if c.field and not c.why}
        self.headers = {c.field: c.header for c in columns if c.field and not c.why}
        self.unnamed: set[int] = set()
        self._named = {c.number for c in columns}

    def column(self, name: str) -> ColumnUse | None:
        """The column used for a field, if any."""
        return next((c for c in self.columns if c.field == name and not c.why), None)

    def row(self, number: int, cells: Mapping[int, str], formulas: Sequence[int] = ()) -> RawRow:
        """A data row (cells by column from 1) as text per field, marked when it is a totals or footer row."""
        for column in cells:
            if column not in self._named:
                self.unnamed.add(column)
        values = {name: cells[c] for c, name in self.fields.items() if c in cells}
        named = [self.fields[c] for c in formulas if c in self.fields]
        return RawRow(number=number, values=values, formulas=named, skip=skipped(cells))

    def all_columns(self) -> list[ColumnUse]:
        """Every column: the header's, then those with values but no header."""
        extra = [ColumnUse(n, "", why="no_header") for n in sorted(self.unnamed)]
        return sorted([*self.columns, *extra], key=lambda c: c.number)


def skipped(cells: Mapping[int, str]) -> str | None:
    """`row_total` for a totals row (合计, 小计...), `row_footer` for a signature or remark line, else None."""
    texts = [_SPACES.sub("", t).casefold() for t in cells.values() if t.strip()]
    if any(t in _TOTALS for t in texts):
        return "row_total"
    if texts and len(texts) <= 2 and texts[0].replace("：", ":").startswith(_FOOTERS):
        return "row_footer"
    return None


@dataclass
class Sheet:
    """A file being read: how it was decoded, its header, which sheet (and which others it has), the rows above
    the header, merged cells filled in, and its rows."""

    encoding: str
    header: Header
    rows: Iterator[RawRow]
    name: str | None = None
    sheets: list[str] = field(default_factory=list)
    station_sheets: list[str] = field(default_factory=list)
    chosen: bool = False
    before: list[tuple[int, str]] = field(default_factory=list)
    filled: list[int] = field(default_factory=lambda: [0])
    """Merged cells filled into the rows they cover (a one-item list the reader updates while streaming)."""

    @property
    def header_row(self) -> int:
        """The header's last row: data rows are counted from the next."""
        return self.header.last_row

    @property
    def title(self) -> str:
        """The sheet's title: the first text above the header that is no remark (…驿站统计表), else its name."""
        texts = [t for _, t in self.before if not _SPACES.sub("", t).replace("：", ":").startswith(_FOOTERS)]
        return texts[0] if texts else (self.name or "")

    @property
    def ignored_headers(self) -> list[str]:
        """Headers of the columns not used."""
        return [c.header for c in self.header.all_columns() if c.why and c.header]


def text_of(value: Any) -> str:
    """A cell as the text a clerk typed (620102.0 -> 620102, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
