"""Duplicate detection: same sign code, or same kind within 50 m (geodesic) with a similar name; linear in rows."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from stations.db import import_queries as queries
from stations.db.import_queries import MOST_COMPARED
from stations.geo.crs import to_wgs84
from stations.geo.geodesy import distance_m
from stations.services.importer.progress import Progress, no_progress
from stations.services.importer.rows import CheckedRow, Issue

RADIUS_M = 50.0
# MOST_COMPARED: earlier rows per nearby cell, and registered stations per row, that a row's name is compared with:
# a row piled on a crowded spot costs at most this many comparisons; an exact repeat is found whatever.
_CELL = 0.001  # degrees; a 3x3 block of cells covers 50 m anywhere in China (cos 54° * 111 m > 50 m)
_DIGITS = re.compile(r"\d+")
_NOISE = re.compile(r"[\s·・()（）\-_]|示例")
_CHUNK = 5000

CROWDED = "附近 50 米内的同类站点超过 {n} 个，只与其中 {n} 个比较了名称：请人工核对是否重复"


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


def _wgs84(row: CheckedRow) -> tuple[float, float]:
    assert row.data is not None
    return to_wgs84(row.data.lon, row.data.lat, row.data.crs)


def _flag(row: CheckedRow, what: str, level: str = "warning") -> None:
    row.duplicate_of = what
    row.issues.append(Issue(row.number, "站点名称", f"重复: {what}，不会重复导入", "核对后删除此行或修改", level))


def _crowded(row: CheckedRow) -> None:
    row.issues.append(Issue(row.number, "站点名称", CROWDED.format(n=MOST_COMPARED), "", "note"))


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

    def match(self, kind: str, kept: _Kept, cx: int, cy: int) -> tuple[_Kept | None, bool]:
        """An earlier kept row this one repeats (or None), and whether a crowded cell was cut short."""
        cut = False
        for dx, dy in _AROUND if kept.name.text else ():
            for other in self.exact.get((kind, kept.name.text, cx + dx, cy + dy), ()):
                if _close(kept.lon, kept.lat, other):
                    return other, False
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


def within_file(rows: Sequence[CheckedRow]) -> None:
    """Flag each valid row that repeats an earlier row of the same file; linear in rows (grid cells, exact names)."""
    seen_codes: dict[str, int] = {}
    grid = _Grid()
    for row in rows:
        if row.data is None:
            continue
        code = row.data.sign_code
        if code and code in seen_codes:
            _flag(row, f"与第 {seen_codes[code]} 行标识编号相同 ({code})")
            continue
        lon, lat = _wgs84(row)
        kept = _Kept(row, lon, lat, name_of(row.data.name))
        kind, cx, cy = row.data.kind.value, math.floor(lon / _CELL), math.floor(lat / _CELL)
        match, cut = grid.match(kind, kept, cx, cy)
        if match is not None:
            _flag(row, f"与第 {match.row.number} 行是同类站点、相距不到 {RADIUS_M:.0f} 米且名称相近")
            continue
        if cut:
            _crowded(row)
        if code:
            seen_codes[code] = row.number
        grid.add(kind, kept, cx, cy)


def _near_existing(
    session: Session, live: Sequence[CheckedRow], progress: Progress
) -> dict[int, list[tuple[int, str, str]]]:
    """Registered stations of each row's kind within 50 m (at most MOST_COMPARED a row), by the row's index."""
    points = [(i, *_wgs84(r), r.data.kind.value) for i, r in enumerate(live) if r.data]
    near: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for start in range(0, len(points), _CHUNK):
        progress("matching", start, len(points))
        chunk = points[start : start + _CHUNK]
        params = {"idx": [p[0] for p in chunk], "lon": [p[1] for p in chunk], "lat": [p[2] for p in chunk],
                  "kind": [p[3] for p in chunk], "radius": RADIUS_M, "most": MOST_COMPARED}
        for idx, sid, name, code in queries.near_existing(session=session, params=params):
            near[idx].append((sid, name, code))
    progress("matching", len(points), len(points))
    return near


def against_registry(*, session: Session, rows: Sequence[CheckedRow], progress: Progress = no_progress) -> None:
    """Flag valid rows already in the registry (same sign code, or same kind within 50 m, similar name)."""
    live = [r for r in rows if r.data is not None and r.duplicate_of is None]
    codes = [r.data.sign_code for r in live if r.data and r.data.sign_code]
    existing = queries.ids_by_sign_code(session=session, codes=codes)
    near = _near_existing(session, live, progress)
    for i, row in enumerate(live):
        assert row.data is not None
        if row.data.sign_code and row.data.sign_code in existing:
            _flag(row, f"标识编号 {row.data.sign_code} 已登记为站点 #{existing[row.data.sign_code]}")
            continue
        name = name_of(row.data.name)
        hit = next((n for n in near.get(i, []) if similar(name, name_of(n[1]))), None)
        if hit is not None:
            _flag(row, f"已登记为站点 #{hit[0]} ({hit[2]})，相距不到 {RADIUS_M:.0f} 米且名称相近")
        elif len(near.get(i, [])) >= MOST_COMPARED:
            _crowded(row)
