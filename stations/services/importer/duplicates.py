"""Duplicate detection: same sign code, or same kind within 50 m (geodesic) with a similar name."""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.geo.crs import to_wgs84
from stations.geo.geodesy import distance_m
from stations.services.importer.rows import CheckedRow, Issue

RADIUS_M = 50.0
_CELL = 0.001  # degrees; a 3x3 block of cells covers 50 m anywhere in China (cos 54° * 111 m > 50 m)
_DIGITS = re.compile(r"\d+")
_NOISE = re.compile(r"[\s·・()（）\-_]|示例")

# The geography(geom) expression matches the ix_stations_geog index, so each candidate is an index probe.
NEAR_EXISTING = text(
    """
    SELECT c.idx, s.id, s.name, s.sign_code
    FROM unnest(CAST(:idx AS int[]), CAST(:lon AS float8[]), CAST(:lat AS float8[]), CAST(:kind AS text[]))
         AS c(idx, lon, lat, kind)
    JOIN stations s
      ON s.deleted_at IS NULL AND s.kind = c.kind
     AND ST_DWithin(geography(s.geom), geography(ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326)), :radius)
    """
)
# Right after a bulk insert the planner's statistics are stale and it may pick a nested loop over a
# sequential scan (minutes for 100k x 100k); within this one statement the index probe is forced.
NO_SEQSCAN = text("SET LOCAL enable_seqscan = off")
SEQSCAN_BACK = text("SET LOCAL enable_seqscan = on")
EXISTING_CODES = text("SELECT sign_code, id FROM stations WHERE sign_code = ANY(CAST(:codes AS text[]))")


def similar_names(a: str, b: str) -> bool:
    """True if two station names are the same place written alike (containment or 70% similar)."""
    x, y = (_NOISE.sub("", unicodedata.normalize("NFKC", n)).casefold() for n in (a, b))
    if not x or not y or _DIGITS.findall(x) != _DIGITS.findall(y):
        return False  # 驿站1号 and 驿站2号 are two stations, however alike the rest of the name
    return x in y or y in x or difflib.SequenceMatcher(None, x, y).ratio() >= 0.7


def _wgs84(row: CheckedRow) -> tuple[float, float]:
    assert row.data is not None
    return to_wgs84(row.data.lon, row.data.lat, row.data.crs)


def _flag(row: CheckedRow, what: str, level: str = "warning") -> None:
    row.duplicate_of = what
    row.issues.append(Issue(row.number, "站点名称", f"重复: {what}，不会重复导入", "核对后删除此行或修改", level))


_AROUND = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]


def _nearby_match(
    row: CheckedRow, lon: float, lat: float, cells: list[list[tuple[CheckedRow, float, float]]]
) -> CheckedRow | None:
    assert row.data is not None
    for cell in cells:
        for other, olon, olat in cell:
            close = other.data is not None and distance_m(lon, lat, olon, olat) <= RADIUS_M
            if close and other.data and similar_names(row.data.name, other.data.name):
                return other
    return None


def within_file(rows: Sequence[CheckedRow]) -> None:
    """Flag each valid row that repeats an earlier row of the same file."""
    seen_codes: dict[str, int] = {}
    grid: dict[tuple[str, int, int], list[tuple[CheckedRow, float, float]]] = defaultdict(list)
    for row in rows:
        if row.data is None:
            continue
        code = row.data.sign_code
        if code and code in seen_codes:
            _flag(row, f"与第 {seen_codes[code]} 行标识编号相同 ({code})")
            continue
        lon, lat = _wgs84(row)
        cx, cy = math.floor(lon / _CELL), math.floor(lat / _CELL)
        match = _nearby_match(row, lon, lat, [grid.get((row.data.kind, cx + dx, cy + dy), []) for dx, dy in _AROUND])
        if match is not None:
            _flag(row, f"与第 {match.number} 行是同类站点、相距不到 {RADIUS_M:.0f} 米且名称相近")
            continue
        if code:
            seen_codes[code] = row.number
        grid[(row.data.kind, cx, cy)].append((row, lon, lat))


def against_registry(*, session: Session, rows: Sequence[CheckedRow]) -> None:
    """Flag valid rows already in the registry (same sign code, or same kind within 50 m, similar name)."""
    live = [r for r in rows if r.data is not None and r.duplicate_of is None]
    codes = [r.data.sign_code for r in live if r.data and r.data.sign_code]
    existing: dict[str, int] = {c: i for c, i in session.execute(EXISTING_CODES, {"codes": codes})} if codes else {}
    points = [(i, *_wgs84(r), r.data.kind.value) for i, r in enumerate(live) if r.data]
    near: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    session.execute(NO_SEQSCAN)
    for start in range(0, len(points), 5000):
        chunk = points[start : start + 5000]
        params = {"idx": [p[0] for p in chunk], "lon": [p[1] for p in chunk], "lat": [p[2] for p in chunk],
                  "kind": [p[3] for p in chunk], "radius": RADIUS_M}
        for idx, sid, name, code in session.execute(NEAR_EXISTING, params):
            near[idx].append((sid, name, code))
    session.execute(SEQSCAN_BACK)
    for i, row in enumerate(live):
        assert row.data is not None
        if row.data.sign_code and row.data.sign_code in existing:
            _flag(row, f"标识编号 {row.data.sign_code} 已登记为站点 #{existing[row.data.sign_code]}")
            continue
        hit = next((n for n in near.get(i, []) if similar_names(row.data.name, n[1])), None)
        if hit is not None:
            _flag(row, f"已登记为站点 #{hit[0]} ({hit[2]})，相距不到 {RADIUS_M:.0f} 米且名称相近")
