"""What the readers hand on: a sheet's header and its rows as a stream of text per field."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from stations.errors import InvalidInput
from stations.services.importer.columns import COLUMNS, REQUIRED, field_of

_ZH = {c.field: c.zh for c in COLUMNS}


@dataclass
class RawRow:
    """One data row: its spreadsheet row number (header is row 1) and text per field."""

    number: int
    values: dict[str, str]
    formulas: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    """A file being read: how it was decoded, the headers not understood, its header's row and its rows."""

    encoding: str
    ignored_headers: list[str]
    header_row: int
    rows: Iterator[RawRow]


def text_of(value: Any) -> str:
    """A cell as the text a clerk typed (620102.0 -> 620102, dates in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


@dataclass(frozen=True)
class Header:
    """Which column holds which field (column numbers as the reader counts them), and the headers not used."""

    fields: dict[int, str]
    ignored: list[str]

    @classmethod
    def parse(cls, texts: Mapping[int, str]) -> Header:
        """The header row's fields; InvalidInput when a required column is missing."""
        fields = {column: name for column, text in sorted(texts.items()) if (name := field_of(text))}
        missing = [f for f in REQUIRED if f not in fields.values()]
        if missing:
            raise InvalidInput(
                f"表头缺少必填列 {'、'.join(_ZH[f] for f in missing)}："
                "请下载模板（GET /api/v1/imports/template.csv 或 .xlsx），保留它的第一行表头"
            )
        ignored = [text for column, text in sorted(texts.items()) if column not in fields and text]
        return cls(fields=fields, ignored=ignored)

    def from_list(self, cells: Sequence[str]) -> dict[str, str]:
        """A CSV record's text per field (columns counted from 0)."""
        return {name: text_of(cells[c]) for c, name in self.fields.items() if c < len(cells)}

    def from_cells(self, cells: Mapping[int, str]) -> dict[str, str]:
        """An XLSX row's text per field (columns counted from 1)."""
        return {name: cells[c] for c, name in self.fields.items() if c in cells}
