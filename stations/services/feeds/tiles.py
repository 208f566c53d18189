"""Mapbox vector tiles of live stations, straight from PostGIS's ST_AsMVT.

From zoom CLUSTER_BELOW_ZOOM on, layer `stations` has every station (id, kind, name, sign_code, status);
below it, layer `clusters` has one point per 1/64 of the tile's width in degrees, with `count` (tiles stay small
even for a province of thousands or a country of a million stations), read from the cluster aggregates that
triggers keep current (`station_cells`, migration 0022), not grouped from every station in view.
"""

from __future__ import annotations

import hashlib
import math

from sqlalchemy.orm import Session

from stations.db.sync_queries import TILE, TILE_CELLS
from stations.errors import BadRequest

MAX_ZOOM = 24
EXTENT = 4096
BUFFER = 64
CLUSTER_BELOW_ZOOM = 10
CELLS_PER_TILE = 64


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
        data = session.execute(TILE, params).scalar_one()
    return bytes(data or b"")


def cell_range(z: int, x: int, y: int) -> dict[str, int]:
    """The `station_cells` columns and rows of level z (CELLS_PER_TILE to a tile's width) under tile z/x/y and its
    edge buffer, as the bounds of TILE_CELLS."""
    n, margin = 2**z, BUFFER / EXTENT
    per_degree = CELLS_PER_TILE * n / 360.0

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * min(max(row, 0.0), n) / n))))

    west, east = (x - margin) / n * 360 - 180, (x + 1 + margin) / n * 360 - 180
    return {"x0": math.floor(west * per_degree), "x1": math.floor(east * per_degree),
            "y0": math.floor(lat(y + 1 + margin) * per_degree), "y1": math.floor(lat(y - margin) * per_degree)}


def etag(data: bytes) -> str:
    """A strong ETag for tile bytes."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The (x, y) of the Web Mercator tile holding a WGS-84 point at zoom z."""
    n = 2**z
    rad = math.radians(lat)
    return int((lon + 180.0) / 360.0 * n), int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
