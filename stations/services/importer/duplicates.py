"""Duplicates within a file: same sign code, or same kind within 50 m (geodesic, in WGS-84 after conversion) with a
similar name; and same-name pairs exactly the GCJ-02 shift apart (one of them in the wrong datum). Linear in rows;
the registry's side is in `registered`."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from stations.db.import_queries import MOST_COMPARED
from stations.geo.crs import gcj02_to_wgs84, wgs84_to_gcj02
from stations.geo.geodesy import distance_m
from stations.services.importer.messages import Note
from stations.services.importer.rows import CheckedRow

RADIUS_M = 50.0
# MOST_COMPARED: earlier rows per nearby cell, and registered stations per row, that a row's name is compared with:
# a row piled on a crowded spot costs at most this many comparisons; an exact repeat is found whatever.
_CELL = 0.001  # degrees; a 3x3 block of cells covers 50 m anywhere in China (cos 54° * 111 m > 50 m)
_DIGITS = re.compile(r"\d+")
_NOISE = re.compile(r"[\s·・()（）\-_]|示例")


@dataclass(frozen=True)
class Name:
    """A station name as compared: normalised (NFKC, case, spaces and brackets gone) and the numbers in it."""

    text: str
    digits: tuple[str, ...]


@lru_cache(maxsize=65_536)
def name_of(name: str) -> Name:
    """The comparable form of a name."""
    text = _NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold()
    return Name(text, tuple(_DIGITS.findall(text)))


def similar(x: Name, y: Name) -> bool:
    """True if two names are the same place written alike (containment or 70% similar, the same numbers)."""
    if not x.text or not y.text or x.digits != y.digits:
        return False  # 驿站1号 and 驿站2号 are two stations, however alike the rest of the name
    if x.text in y.text or y.text in x.text:
        return True
    matcher = difflib.SequenceMatcher(None, x.text, y.text)  # the cheap upper bounds first, as difflib advises
    return matcher.real_quick_ratio() >= 0.7 and matcher.quick_ratio() >= 0.7 and matcher.ratio() >= 0.7


def similar_names(a: str, b: str) -> bool:
    """True if two station names are the same place written alike (see `similar`)."""
    return similar(name_of(a), name_of(b))


def shifted(lon: float, lat: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where a WGS-84 point would be had it been given in the wrong datum: read as GCJ-02 when it was WGS-84, and
    the other way round (a station registered from Amap as if it were GPS)."""
    return wgs84_to_gcj02(lon, lat), gcj02_to_wgs84(lon, lat)


def row_shifts(row: CheckedRow) -> tuple[tuple[float, float], tuple[float, float]]:
    """`shifted` of a row's point, computed once (the file's checks and the registry's probes both need it)."""
    assert row.point is not None
    if row.shifts is None:
        row.shifts = shifted(*row.point)
    return row.shifts


def flag(row: CheckedRow, message: str, /, **params: object) -> None:
    """Mark a row as a duplicate (it is not imported) with the note (catalogue code `message`) saying of what."""
    row.duplicate_of = message
    row.add(Note(message, "warning", field="name", params={"metres": f"{RADIUS_M:.0f}", **params}))


def crowded(row: CheckedRow) -> None:
    """Note that a row's name was compared with only MOST_COMPARED stations of a crowded spot."""
    row.add(Note("crowded", "note", field="name", params={"metres": f"{RADIUS_M:.0f}", "most": MOST_COMPARED}))


_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


@dataclass(frozen=True)
class _Kept:
    """A row kept so far, where it is and its comparable name."""

    row: CheckedRow
    lon: float
    lat: float
    name: Name


def _close(lon: float, lat: float, other: _Kept) -> bool:
    """Within RADIUS_M geodesic metres. A flat-earth estimate (within 1% at this scale) decides every pair but
    those 5% either side of the radius, which get the exact geodesic (the costly part of a crowded check)."""
    dx = (lon - other.lon) * 111_320.0 * math.cos(math.radians(lat))
    dy = (lat - other.lat) * 110_574.0
    flat = dx * dx + dy * dy
    if flat > (RADIUS_M * 1.05) ** 2:
        return False
    return flat < (RADIUS_M * 0.95) ** 2 or distance_m(lon, lat, other.lon, other.lat) <= RADIUS_M


class _Grid:
    """Rows kept so far by (kind, cell): by exact name, and by the numbers in their names for the fuzzy match.

    Kept rows with one name are more than 50 m apart (a closer one would have been a duplicate), so a cell holds
    few of them; a cell's fuzzy list can grow, and a row is compared with its last MOST_COMPARED entries only.
    """

    def __init__(self) -> None:
        self.exact: dict[tuple[str, str, int, int], list[_Kept]] = defaultdict(list)
        self.fuzzy: dict[tuple[str, tuple[str, ...], int, int], list[_Kept]] = defaultdict(list)

    def same_name(self, kind: str, kept: _Kept, cx: int, cy: int) -> _Kept | None:
        """An earlier kept row of the same (non-empty) name within 50 m, or None."""
        for dx, dy in _AROUND:
            for other in self.exact.get((kind, kept.name.text, cx + dx, cy + dy), ()):
                if _close(kept.lon, kept.lat, other):
                    return other
        return None

    def match(self, kind: str, kept: _Kept, cx: int, cy: int) -> tuple[_Kept | None, bool]:
        """An earlier kept row this one repeats (or None), and whether a crowded cell was cut short."""
        cut = False
        if kept.name.text and (same := self.same_name(kind, kept, cx, cy)) is not None:
            return same, False
        for dx, dy in _AROUND:
            entries = self.fuzzy.get((kind, kept.name.digits, cx + dx, cy + dy), [])
            cut = cut or len(entries) > MOST_COMPARED
            for other in entries[-MOST_COMPARED:]:
                if _close(kept.lon, kept.lat, other) and similar(kept.name, other.name):
                    return other, False
        return None, cut

    def add(self, kind: str, kept: _Kept, cx: int, cy: int) -> None:
        """Remember a kept row."""
        self.exact[(kind, kept.name.text, cx, cy)].append(kept)
        self.fuzzy[(kind, kept.name.digits, cx, cy)].append(kept)


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return math.floor(lon / _CELL), math.floor(lat / _CELL)


def _datum_twin(grid: _Grid, kind: str, kept: _Kept) -> _Kept | None:
    """An earlier row with the same name exactly the GCJ-02 shift away (so within 50 m of a shifted copy)."""
    for lon, lat in row_shifts(kept.row):
        twin = _Kept(kept.row, lon, lat, kept.name)
        if kept.name.text:  # only a same-name row can be the twin: the exact lookup alone finds it (3x cheaper)
            if (match := grid.same_name(kind, twin, *_cell(lon, lat))) is not None:
                return match
            continue
        match, _ = grid.match(kind, twin, *_cell(lon, lat))
        if match is not None and match.name.text == kept.name.text:
            return match
    return None


def within_file(rows: Sequence[CheckedRow]) -> None:
    """Flag each valid row that repeats an earlier row of the same file; linear in rows (grid cells, exact names)."""
    seen_codes: dict[str, int] = {}
    grid = _Grid()
    for row in rows:
        if row.data is None or row.point is None:
            continue
        code = row.data.sign_code
        if code and code in seen_codes:
            flag(row, "dup_code_in_file", other=seen_codes[code], code=code)
            continue
        kept = _Kept(row, *row.point, name_of(row.data.name))
        kind, (cx, cy) = row.data.kind.value, _cell(*row.point)
        match, cut = grid.match(kind, kept, cx, cy)
        if match is not None:
            flag(row, "dup_in_file", other=match.row.number)
            continue
        if (twin := _datum_twin(grid, kind, kept)) is not None:
            metres = distance_m(*row.point, twin.lon, twin.lat)
            flag(row, "dup_datum_in_file", other=twin.row.number, metres=f"{metres:.0f}")
            continue
        if cut:
            crowded(row)
        if code:
            seen_codes[code] = row.number
        grid.add(kind, kept, cx, cy)
