"""Boundaries: is a WGS-84 point inside a division (with a tolerance in metres), and which county holds it.

A division with a boundary of its own is tested against it; a city or province without one is the union of its
descendants' (a province is all its counties); a code with neither (a district newer than the boundary data, such
as 雄安新区) is tested against its nearest ancestor that has one. Boundaries are simplified by at most ~111 m
(SIMPLIFY_DEG in scripts/build_divisions.py) and date from about 2021, so a point counts as inside when it lies
within TOLERANCE_M of the boundary.
"""

from __future__ import annotations

import math
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import shapely
import shapely.ops
from shapely.geometry import MultiPolygon, Polygon

from stations.divisions import codec
from stations.divisions.table import contains, level_of
from stations.geo.geodesy import distance_m

FILE = Path(__file__).with_name("boundaries.bin.gz")
TOLERANCE_M = 500.0
"""How far outside its simplified boundary a point still counts as inside: ~111 m of simplification, boundary
changes since the data was drawn, and a pin dropped on the far side of a boundary road or river. A point 500 m
into the next county is accepted; one in another city is not."""


@cache
def _data() -> tuple[dict[str, Any], bytes]:
    return codec.read_file(FILE.read_bytes())


def _index() -> dict[str, list[float]]:
    index: dict[str, list[float]] = _data()[0]["index"]
    return index


@cache
def _shape(code: str) -> MultiPolygon:
    """The boundary of a code that has one of its own, prepared for fast point tests (all 2,875 decoded: ~1 s and
    ~15 MB; a bounded cache smaller than that was decoded again and again by lookups spread over the country)."""
    offset, length = (int(v) for v in _index()[code][:2])
    record = codec.decode_record(_data()[1][offset:offset + length])
    shape = MultiPolygon([Polygon(rings[0], rings[1:]) for rings in record])
    shapely.prepare(shape)
    return shape


@lru_cache(maxsize=4096)
def _parts(code: str) -> tuple[str, ...]:
    """The codes whose own boundaries make up this division's area (empty if the data has nothing for it)."""
    index = _index()
    if code in index:
        return (code,)
    if level_of(code) != "county":
        inside = tuple(k for k in index if contains(code, k))
        if inside:
            return inside
    for parent in (code[:4] + "00", code[:2] + "0000"):
        if parent != code and level_of(parent) != level_of(code) and (found := _parts(parent)):
            return found
    return ()


def _box_margin(lat: float, metres: float) -> tuple[float, float]:
    """(degrees of longitude, degrees of latitude) spanning at least `metres` around latitude `lat`."""
    dlat = metres / 110_574.0 * 1.01
    dlon = metres / (111_320.0 * max(math.cos(math.radians(lat)), 0.01)) * 1.01
    return dlon, dlat


def _near(code: str, lon: float, lat: float, metres: float) -> bool:
    """True if the point is within `metres` of the code's boundary (a local flat frame, exact enough at 1 km)."""
    dlon, dlat = _box_margin(lat, metres)
    west, south, east, north = _index()[code][2:6]
    if not (west - dlon <= lon <= east + dlon and south - dlat <= lat <= north + dlat):
        return False
    shape = _shape(code)
    if shapely.contains_xy(shape, lon, lat):
        return True
    if metres <= 0:
        return False
    piece = shapely.clip_by_rect(shape, lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    if piece.is_empty:
        return False
    phi = math.radians(lat)
    per_lon = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi)
    per_lat = 111_132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi)
    local = shapely.transform(piece, lambda xy: (xy - (lon, lat)) * (per_lon, per_lat))
    return bool(shapely.distance(local, shapely.Point(0.0, 0.0)) <= metres)


def point_in(adcode: str, lon: float, lat: float, *, tolerance_m: float = TOLERANCE_M) -> bool:
    """True if the WGS-84 point lies inside the division (or within `tolerance_m` metres of its boundary).

    A division the data knows nothing about (no boundary for it, its descendants or ancestors) is not refused.
    """
    parts = _parts(adcode)
    return not parts or any(_near(code, lon, lat, tolerance_m) for code in parts)


def distance_outside_m(adcode: str, lon: float, lat: float) -> float:
    """Roughly how far (metres) the point lies outside the division: 0 inside, to the nearest boundary point."""
    best = math.inf
    for code in _parts(adcode):
        shape = _shape(code)
        if shapely.contains_xy(shape, lon, lat):
            return 0.0
        nearest = shapely.ops.nearest_points(shape, shapely.Point(lon, lat))[0]
        best = min(best, distance_m(lon, lat, nearest.x, nearest.y))
    return 0.0 if best == math.inf else best


@cache
def _boxes() -> tuple[list[str], shapely.STRtree]:
    """Every code with a boundary of its own, in the data's order, and a tree of their bounding boxes."""
    index = _index()
    codes = list(index)
    west, south, east, north = zip(*(index[code][2:6] for code in codes), strict=True)
    return codes, shapely.STRtree(shapely.box(west, south, east, north))


def load_boundaries() -> None:
    """Decode every boundary and build the box tree now (~1 s of CPU, ~15 MB): a process recording demand would
    otherwise decode them in its flush thread, holding the GIL while lookups wait, as lookups reach new counties."""
    for code in _index():
        _shape(code)
    _boxes()


def locate(lon: float, lat: float) -> str | None:
    """The code of the county-level division (or a division with no counties) whose boundary holds the point: the
    first in the data's order whose box (edges included) and boundary hold it. (Testing every box in turn took
    0.066 ms a point, against 0.020 through the tree.)"""
    codes, tree = _boxes()
    for i in sorted(tree.query(shapely.Point(lon, lat))):
        code = codes[int(i)]
        if shapely.contains_xy(_shape(code), lon, lat):
            return code
    return None


def bounds(region: str) -> tuple[float, float, float, float] | None:
    """West, south, east, north (WGS-84) of a region given as a code or a staff prefix ('62', '6201', '620102');
    None when the boundary data has nothing for it (the staff pin map then opens on its default)."""
    code = region.strip().ljust(6, "0")
    boxes = [_index()[part][2:6] for part in _parts(code)] if len(code) == 6 and code.isdigit() else []
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
