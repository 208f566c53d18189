"""Mapbox vector tiles of live stations, straight from PostGIS's ST_AsMVT.

From zoom CLUSTER_BELOW_ZOOM on, layer `stations` has every station (id, kind, name, sign_code, status), as long as
the tile holds at most MAX_STATIONS; below it, layer `clusters` has one point per 1/64 of the tile's width in degrees,
with `count` (tiles stay small even for a province of thousands or a country of a million stations), read from the
cluster aggregates that triggers keep current (`station_cells`, migration 0022), not grouped from every station
in view. A tile from CLUSTER_BELOW_ZOOM on with more than MAX_STATIONS (a city centre at a million stations) shows
its sparse cells as their stations and its dense ones as clusters (TILE_DENSE says how; from the aggregates up to
z13, grouped live from z14), so a tile stays under 100 KB at any density and every station in it is a feature or in
exactly one cluster's count.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

from sqlalchemy.orm import Session

from stations.db.tile_sql import TILE, TILE_CELL_BOUNDS, TILE_CELLS, TILE_COUNT, TILE_DENSE, TILE_DENSE_LIVE
from stations.db.viewport_sql import CELL_LEVELS
from stations.errors import BadRequest

MAX_ZOOM = 24
EXTENT = 4096
BUFFER = 64
CLUSTER_BELOW_ZOOM = 10
CELLS_PER_TILE = 64
MAX_STATIONS = 800
"""Stations a tile from CLUSTER_BELOW_ZOOM on carries whole; at ~90 bytes a station (measured), about 70 KB."""
DENSE_KEEP = 400
"""Stations a tile over MAX_STATIONS still shows as stations (its sparsest cells): ~35 KB, next to at most
(32 + 2)^2 clusters of ~25 bytes, ~30 KB."""
DENSE_FEW = 4
"""A cell of a tile over MAX_STATIONS holding at most this many stations may be shown as its stations."""
FINEST_LEVEL = CELL_LEVELS - 1
"""The finest level of `station_cells` (migration 0022). Dense tiles of z10-z13 use it (32, 16, 8, 4 cells to the
tile's width); from z14 on (LIVE_FROM_ZOOM) a dense tile is grouped live, 32 cells to its width: a z14 tile is 1/16 of
a z10 tile's width (central Beijing at a million stations: 42,000 stations at z10, 1,600 at z14; grouped live, z13's
5,000 took 44 ms). Levels 10-11 in the aggregates would have served z11-z13 finer, but they more than doubled the
triggers' work on bulk writes (docs/performance.md)."""
LIVE_FROM_ZOOM = FINEST_LEVEL + 5


def parse_tile(*, z: str, x: str, y: str) -> tuple[int, int, int]:
    """Tile coordinates as ints; BadRequest when not numbers, zoom outside 0..24 or x/y outside 0..2^z-1."""
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except ValueError:
        raise BadRequest(f"tile /{z}/{x}/{y} must be whole numbers /z/x/y") from None
    if not 0 <= zi <= MAX_ZOOM:
        raise BadRequest(f"zoom {zi} is outside 0..{MAX_ZOOM}")
    last = 2**zi - 1
    if not (0 <= xi <= last and 0 <= yi <= last):
        raise BadRequest(f"tile {zi}/{xi}/{yi} does not exist: at zoom {zi}, x and y run from 0 to {last}")
    return zi, xi, yi


def tile(*, session: Session, z: int, x: int, y: int) -> bytes:
    """The encoded tile (empty bytes when no station is in it or its edge buffer)."""
    params = {"z": z, "x": x, "y": y, "extent": EXTENT, "buffer": BUFFER, "margin": BUFFER / EXTENT}
    if z < CLUSTER_BELOW_ZOOM:  # the aggregates of migration 0022: 64 cells across the tile, as CELLS_PER_TILE says
        data = session.execute(TILE_CELLS, params | cell_range(z, x, y)).scalar_one()
    else:
        cells = dense_cells(z, x, y)
        upper, lower = session.execute(TILE_CELL_BOUNDS, cells).one()
        if upper <= MAX_STATIONS:  # the cells under the tile hold no more: every station, as always
            data = session.execute(TILE, params).scalar_one()
        elif z >= LIVE_FROM_ZOOM:  # grouped live, which keeps every station when they are few enough after all
            data = session.execute(TILE_DENSE_LIVE, params | cells | {"budget": MAX_STATIONS}).scalar_one()
        elif lower > MAX_STATIONS or _counted(session, params) > MAX_STATIONS:
            data = session.execute(TILE_DENSE, params | cells).scalar_one()
        else:
            data = session.execute(TILE, params).scalar_one()
    return bytes(data or b"")


def _counted(session: Session, params: dict[str, Any]) -> int:
    """The stations of the buffered tile, counted to MAX_STATIONS + 1 at most."""
    return int(session.execute(TILE_COUNT, params | {"cap": MAX_STATIONS + 1}).scalar_one())


def dense_cells(z: int, x: int, y: int) -> dict[str, Any]:
    """The cells that decide and draw a tile from CLUSTER_BELOW_ZOOM on: those of `station_cells` at level
    min(z - 1, FINEST_LEVEL), under the buffered tile (`columns`, `y0`, `y1`) and wholly inside it (`ix0`..`iy1`);
    TILE_DENSE's parameters; and `per_degree`, the grid of the cells a dense tile shows: that level's, or from
    LIVE_FROM_ZOOM on 32 cells to the tile's width, grouped live."""
    level = min(z - 1, FINEST_LEVEL)
    per_degree = (64 << level) / 360.0
    west, south, east, north = _buffered(z, x, y)
    inner = {"ix0": math.ceil(west * per_degree), "ix1": math.floor(east * per_degree) - 1,
             "iy0": math.ceil(south * per_degree), "iy1": math.floor(north * per_degree) - 1}
    grid = per_degree if z < LIVE_FROM_ZOOM else (64 << (z - 1)) / 360.0
    return cell_range(z, x, y, level=level) | inner | {"level": level, "per_degree": grid, "few": DENSE_FEW,
                                                       "keep": DENSE_KEEP}


def cell_range(z: int, x: int, y: int, *, level: int | None = None) -> dict[str, Any]:
    """The `station_cells` columns and rows of `level` (default z: CELLS_PER_TILE to a tile's width) under tile z/x/y
    and its edge buffer, as the bounds of TILE_CELLS and TILE_DENSE: every column (`columns`, so that the index on
    (level, cx, cy) is searched column by column for the rows y0..y1; a range of columns would read each column's
    cells from one end of China to the other) and the rows."""
    per_degree = CELLS_PER_TILE * 2 ** (z if level is None else level) / 360.0
    west, south, east, north = _buffered(z, x, y)
    x0, x1 = math.floor(west * per_degree), math.floor(east * per_degree)
    return {"x0": x0, "x1": x1, "columns": list(range(x0, x1 + 1)),
            "y0": math.floor(south * per_degree), "y1": math.floor(north * per_degree)}


def _buffered(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """West, south, east, north of tile z/x/y with its edge buffer, in degrees."""
    n, margin = 2**z, BUFFER / EXTENT

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * min(max(row, 0.0), n) / n))))

    return (x - margin) / n * 360 - 180, lat(y + 1 + margin), (x + 1 + margin) / n * 360 - 180, lat(y - margin)


def etag(data: bytes) -> str:
    """A strong ETag for tile bytes."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The (x, y) of the Web Mercator tile holding a WGS-84 point at zoom z."""
    n = 2**z
    rad = math.radians(lat)
    return int((lon + 180.0) / 360.0 * n), int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
