"""Stations in a map viewport: the points themselves when few, PostGIS grid clusters when many."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from stations.db import viewport_sql as queries
from stations.errors import InvalidInput
from stations.geo.shapes import geojson_point
from stations.reference import Kind

MAX_MARKERS = 500
GRID_COLUMNS = 24


@dataclass(frozen=True)
class Viewport:
    """A WGS-84 bounding box (west, south, east, north)."""

    west: float
    south: float
    east: float
    north: float


def parse_bbox(text: str) -> Viewport:
    """`west,south,east,north` in degrees, or InvalidInput saying what is wrong."""
    parts = text.split(",")
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError:
        example = "116.3,39.8,116.5,40.0"
        raise InvalidInput(f"bbox must be four numbers west,south,east,north (e.g. {example}), got {text!r}") from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise InvalidInput("bbox values must be finite numbers")
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput("bbox must have west < east within -180..180 and south < north within -90..90")
    return Viewport(west, south, east, north)


def in_viewport(
    *, session: Session, viewport: Viewport, kinds: Sequence[Kind] = (), amenities: Sequence[str] = ()
) -> dict[str, Any]:
    """A FeatureCollection of stations (at most MAX_MARKERS) or of clusters with counts when denser."""
    params: dict[str, Any] = {**vars(viewport), "kinds": [k.value for k in kinds], "amenities": list(amenities)}
    count = session.execute(queries.VIEWPORT_COUNT, {**params, "cap": MAX_MARKERS + 1}).scalar_one()
    if count <= MAX_MARKERS:
        rows = session.execute(queries.VIEWPORT_STATIONS, {**params, "cap": MAX_MARKERS}).mappings()
        features = [_station(row) for row in rows]
        return {"type": "FeatureCollection", "mode": "stations", "features": features}
    found = clusters(session=session, viewport=viewport, kinds=kinds, amenities=amenities)
    return {"type": "FeatureCollection", "mode": "clusters", "features": [_cluster(row) for row in found]}


def clusters(
    *, session: Session, viewport: Viewport, kinds: Sequence[Kind] = (), amenities: Sequence[str] = ()
) -> list[Any]:
    """At most MAX_MARKERS clusters (count, lon, lat) of the stations in view, on a grid of GRID_COLUMNS across it."""
    cell = max(viewport.east - viewport.west, viewport.north - viewport.south) / GRID_COLUMNS
    if amenities:  # grouped live (the aggregates know no amenities)
        params = {**vars(viewport), "kinds": [k.value for k in kinds], "amenities": list(amenities)}
        return list(session.execute(queries.VIEWPORT_CLUSTERS, {**params, "cell": cell, "cap": MAX_MARKERS}).mappings())
    # From the aggregates; a district's viewport, finer than their finest level, gets that level's cells (~1 km):
    # grouped live, the 12,000 stations of a district of central Beijing at 1M took 130 ms. A kind filter reads the
    # same cells' sums of those kinds (migration 0027): grouped live, central Beijing's outdoor stations at 1M took
    # p50 216 ms (bench/results/scale-2026-12-06-12.json).
    level = cell_level(cell)
    level = queries.CELL_LEVELS - 1 if level is None else level
    per_degree = (64 << level) / 360.0  # integer bounds: compared as floats, the cells' key would not be used
    columns = list(range(math.floor(viewport.west * per_degree), math.floor(viewport.east * per_degree) + 1))
    bounds = {"columns": columns,  # one index search per column (tiles.cell_range says why)
              "y0": math.floor(viewport.south * per_degree), "y1": math.floor(viewport.north * per_degree)}
    statement = queries.VIEWPORT_KIND_CELLS.get(frozenset(kinds), queries.VIEWPORT_CELLS)
    params = {**vars(viewport), **bounds, "cell": cell, "level": level, "cap": MAX_MARKERS}
    return list(session.execute(statement, params).mappings())


def cell_level(cell: float) -> int | None:
    """The coarsest level of `station_cells` (migration 0022: 360 / 2^(level + 6) degrees a cell) whose cells are no
    wider than `cell` degrees, or None when only cells finer than its finest level would do."""
    level = max(0, math.ceil(math.log2(360.0 / (64 * cell))))
    return level if level < queries.CELL_LEVELS else None


def _station(row: Any) -> dict[str, Any]:
    properties = {k: row[k] for k in ("id", "site_id", "kind", "name", "status", "sign_code")}
    return {"type": "Feature", "id": row["id"], "geometry": geojson_point(row["lon"], row["lat"]),
            "properties": properties}


def _cluster(row: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geojson_point(row["lon"], row["lat"], digits=5),
            "properties": {"cluster": True, "count": row["count"]}}
