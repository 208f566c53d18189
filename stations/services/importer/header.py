"""Finding the header in a clerk's sheet: the row among the first SCAN_ROWS that names the most known fields, past
title rows, blank rows and remarks; a second header row below merged group titles (坐标(高德) over 经度 | 纬度).

The rows looked at are kept and handed back, so the file is still read once, as a stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from stations.errors import InvalidInput
from stations.services.importer import columns
from stations.services.importer.columns import REQUIRED, Meaning, understand
from stations.services.importer.messages import Text, refuse
from stations.services.importer.sheet import ColumnUse, Header

SCAN_ROWS = 30
"""Rows holding anything that are searched for the header."""
_NUMBER = re.compile(r"^[\s+-]?[0-9０-９][0-9０-９.,．，°′″'\"\s]*$")

Cells = tuple[int, dict[int, str], list[int]]  # row number, text by column (from 1), columns of unsaved formulas
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column


@dataclass(frozen=True)
class Found:
    """The header found, the rows above it (number, text), and the rows read past it (to be read as data)."""

    header: Header
    before: list[tuple[int, str]]
    after: list[Cells]


def _meanings(cells: Mapping[int, str]) -> dict[int, Meaning]:
    return {c: understand(t) for c, t in cells.items()}


def _score(cells: Mapping[int, str]) -> int:
    """How many different fields a row's cells name."""
    return len({m.field for m in _meanings(cells).values() if m.field})


def _sub_header(cells: Mapping[int, str]) -> bool:
    """True if a row below the header looks like a second header row: field names, no numbers."""
    texts = [t for t in cells.values() if t.strip()]
    named = sum(1 for t in texts if understand(t).field)
    return named >= 1 and 2 * named >= len(texts) and not any(_NUMBER.match(t) for t in texts)


def _above(merges: Sequence[Merge], row: int, column: int, top: Mapping[int, str]) -> str:
    """The header row's text over a column: its own cell, or the merged cell spanning it."""
    if column in top:
        return top[column]
    for r1, c1, r2, c2 in merges:
        if r1 <= row <= r2 and c1 <= column <= c2:
            return top.get(c1, "")
    return ""


def _combined(top: Cells, below: Cells | None, merges: Sequence[Merge]) -> dict[int, tuple[str, Meaning]]:
    """Each column's header text and meaning, from one header row or two (group title over column name)."""
    number, first, _ = top
    if below is None:
        return {c: (t, understand(t)) for c, t in first.items() if t.strip()}
    out: dict[int, tuple[str, Meaning]] = {}
    for column in sorted(set(first) | set(below[1])):
        parent, child = _above(merges, number, column, first), below[1].get(column, "")
        if not child:
            out[column] = (parent, understand(parent))
            continue
        meaning = understand(child)
        if meaning.field in ("lon", "lat", "lonlat") and meaning.crs is None and parent:
            meaning = Meaning(meaning.field, columns.datum_in(parent))
        out[column] = (f"{parent}/{child}" if parent and parent != child else child, meaning)
    return out


def _uses(texts: Mapping[int, tuple[str, Meaning]]) -> list[ColumnUse]:
    """Every named column's use; a field named twice is taken from its first column."""
    taken: dict[str, str] = {}
    uses = []
    for column, (text, meaning) in sorted(texts.items()):
        field = meaning.field
        if field == "lonlat" and {"lon", "lat"} <= taken.keys():
            uses.append(ColumnUse(column, text, field, meaning.crs, "repeat", taken["lon"]))
        elif field and field in taken:
            uses.append(ColumnUse(column, text, field, meaning.crs, "repeat", taken[field]))
        elif field:
            taken[field] = text
            uses.append(ColumnUse(column, text, field, meaning.crs))
        else:
            why = meaning.unused or "unknown"
            like = (columns.closest(text) or "") if why == "unknown" else ""
            uses.append(ColumnUse(column, text, None, None, why, like))
    return uses


def _check(header: Header, where: Text) -> None:
    """Refuse a header without the columns every file needs, or with two datums for one point."""
    have = set(header.fields.values())
    missing = [f for f in REQUIRED if f not in have]
    if "lonlat" not in have:
        missing += [f for f in ("lon", "lat") if f not in have]
    if missing:
        names = "、".join(f"“{columns.BY_FIELD[f].zh}”" for f in missing)
        names_en = ", ".join(f"{columns.BY_FIELD[f].zh} ({f})" for f in missing)
        raise refuse("missing_columns", row=header.first_row, names=names, names_en=names_en)
    lon, lat = header.column("lon"), header.column("lat")
    if lon and lat and lon.crs and lat.crs and lon.crs is not lat.crs:
        raise refuse("crs_headers_differ", lon=lon.header, lat=lat.header)


NOWHERE = Text("", "")


def find(cells: Iterator[Cells], *, merges: Sequence[Merge] = (), where: Text = NOWHERE) -> Found:
    """The header of a sheet read as a stream of rows; the error saying what is missing when there is none."""
    seen: list[Cells] = []  # every row read, empty ones too (they still count as rows of the file)
    filled: list[int] = []  # indexes of the rows holding anything
    for row in cells:
        seen.append(row)
        if any(t.strip() for t in row[1].values()):
            filled.append(len(seen) - 1)
            if len(filled) >= SCAN_ROWS:
                break
    if not filled:
        raise refuse("empty")
    scores = {i: _score(seen[i][1]) for i in filled}
    best = max(filled, key=lambda i: (scores[i], -i))
    if scores[best] < 2:
        raise refuse("no_header", where=where.zh, where_en=where.en, rows=SCAN_ROWS)
    top = seen[best]
    nxt = next((i for i in filled if i > best), None)
    below = seen[nxt] if nxt is not None and _sub_header(seen[nxt][1]) else None
    header = Header(first_row=top[0], last_row=(below or top)[0], columns=_uses(_combined(top, below, merges)))
    _check(header, where)
    before = [(n, " ".join(dict.fromkeys(t.strip() for t in row.values() if t.strip())))
              for n, row, _ in (seen[i] for i in filled if i < best)]
    rest = (nxt if below is not None and nxt is not None else best) + 1
    return Found(header=header, before=before, after=seen[rest:])


def usable(cells: Iterator[Cells]) -> bool:
    """True if a sheet has a header the import can use (for choosing among a workbook's sheets)."""
    try:
        find(cells)
    except InvalidInput:
        return False
    return True
