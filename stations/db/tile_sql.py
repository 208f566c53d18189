"""SQL of the vector tiles (`services/feeds/tiles.py`) as named constants: every station of a tile, or from the cluster
aggregates of migration 0022 below CLUSTER_BELOW_ZOOM, and dense tiles from it on.

Same rules as the other SQL modules: functions never wrap an indexed column; tile filters transform the envelope to
4326 and compare `geom &&` it, so the GiST index on geom is used.
"""

from __future__ import annotations

from sqlalchemy import text

from stations.db.viewport_sql import CELLS

# One Mapbox vector tile: points in the tile plus a buffer (so symbols at the edge are not cut),
# selected by transforming the tile envelope to 4326 (the index on geom is used), then projected.
TILE = text(
    """
    WITH bounds AS (
        SELECT ST_TileEnvelope(:z, :x, :y) AS tile,
               ST_TileEnvelope(:z, :x, :y, margin => CAST(:margin AS float8)) AS buffered
    ), features AS (
        SELECT ST_AsMVTGeom(ST_Transform(s.geom, 3857), bounds.tile, :extent, :buffer, true) AS geom,
               s.id, s.kind, s.name, s.sign_code, s.status
        FROM stations AS s, bounds
        WHERE s.geom && ST_Transform(bounds.buffered, 4326) AND s.deleted_at IS NULL
    )
    SELECT ST_AsMVT(features.*, 'stations', :extent, 'geom', 'id') FROM features
    """
)

# The non-empty cells of one level under a tile (`columns`: its cell columns, searched one by one; rows y0..y1), each
# with its count and centroid, as of the reader's snapshot; `{level}` names the parameter holding the level.
_CELLS_UNDER = f"""cells AS (
        SELECT cx, cy, sum(count) AS count, sum(sum_lon) / sum(count) AS lon, sum(sum_lat) / sum(count) AS lat
        FROM {CELLS} AS c
        WHERE level = :{{level}} AND cx = ANY(CAST(:columns AS integer[])) AND cy BETWEEN :y0 AND :y1
        GROUP BY cx, cy
        HAVING sum(count) > 0
    )"""

# Below CLUSTER_BELOW_ZOOM a tile would carry every station of a province (megabytes at z4): layer `clusters` instead
# holds one point per grid cell of the tile (their centroid) with the station count, from the aggregates of migration
# 0022 (`station_cells`, kept current by triggers; grouping every station in view took 0.86 s for a z4 tile at 100k):
# the tile's own level (64 cells across a tile at every zoom below 10), the cells in the buffered tile (integer
# bounds from Python: computed in SQL they were compared as floats, off the index, and the plan's cost woke the JIT,
# 420 ms a z9 tile), their centroids projected. The feature id is the cell's: (cx + 2^20) * 2^21 + (cy + 2^20),
# positive as MVT ids must be.
TILE_CELLS = text(
    f"""
    WITH {_CELLS_UNDER.format(level="z")}, features AS (
        SELECT ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint(cells.lon, cells.lat), 4326), 3857),
                            ST_TileEnvelope(:z, :x, :y), :extent, :buffer, true) AS geom,
               (cells.cx + 1048576::bigint) * 2097152 + (cells.cy + 1048576) AS id, cells.count
        FROM cells
    )
    SELECT ST_AsMVT(features.*, 'clusters', :extent, 'geom', 'id') FROM features
    """
)

# From CLUSTER_BELOW_ZOOM on, whether a tile is over its budget, cheaply first: the stations of the cells of :level
# under the buffered tile bound its count from above (`upper`: cells overlapping it), and from below (`lower`: cells
# wholly inside it, :ix0..:iy1). Only a tile between the two is counted (TILE_COUNT) or grouped live.
TILE_CELL_BOUNDS = text(
    f"""
    SELECT coalesce(sum(count), 0) AS upper,
           coalesce(sum(count) FILTER (WHERE cx BETWEEN :ix0 AND :ix1 AND cy BETWEEN :iy0 AND :iy1), 0) AS lower
    FROM {CELLS} AS c
    WHERE level = :level AND cx = ANY(CAST(:columns AS integer[])) AND cy BETWEEN :y0 AND :y1
    """
)

# How many stations the buffered tile holds, counted no further than :cap (the budget + 1). ST_Intersects, not `&&`:
# the index's boxes are single precision, and `&&` alone also counts points a metre outside the tile.
TILE_COUNT = text(
    """
    SELECT count(*) FROM (
        SELECT 1 FROM stations AS s
        WHERE ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => CAST(:margin AS float8)), 4326))
          AND s.deleted_at IS NULL
        LIMIT :cap
    ) AS capped
    """
)

# A tile from CLUSTER_BELOW_ZOOM on over its budget: its cells (`cells`: cx, cy, count, centroid) sparsest first; a
# cell of at most :few stations whose running total stays within :keep is shown as its stations (layer `stations`,
# the attributes of TILE), every other cell as one point at its centroid (layer `clusters`, `count`, the cell's id
# (cx + 2^30) * 2^31 + (cy + 2^30)). Two layers, one tile: MVT layers concatenate. The two ways to get the cells and
# the stations of kept cells follow.
_RANKED = """
    ranked AS (
        SELECT cells.*, count <= :few AND sum(count) OVER (ORDER BY count, cx, cy) <= :keep AS kept FROM cells
    )"""
_DENSE = """
    clusters AS (
        SELECT ST_AsMVTGeom(ST_Transform(ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), 3857),
                            ST_TileEnvelope(:z, :x, :y), :extent, :buffer, true) AS geom,
               (r.cx + 1073741824::bigint) * 2147483648 + (r.cy + 1073741824) AS id, CAST(r.count AS bigint) AS count
        FROM ranked AS r
        WHERE NOT r.kept
    )
    SELECT coalesce((SELECT ST_AsMVT(stations_in.*, 'stations', :extent, 'geom', 'id') FROM stations_in), '')
           || coalesce((SELECT ST_AsMVT(clusters.*, 'clusters', :extent, 'geom', 'id') FROM clusters), '')
"""
_STATION_FEATURE = """
        ST_AsMVTGeom(ST_Transform(s.geom, 3857), ST_TileEnvelope(:z, :x, :y), :extent, :buffer, true) AS geom,
        s.id, s.kind, s.name, s.sign_code, s.status"""

# From the aggregates (z10-z13, level :level): the cells under the buffered tile, and a kept cell's stations found by
# the GiST index in the cell's envelope (a hair wider), held to the cell by the floor() the triggers use. Work is
# bounded by the cells under a tile and :keep, however many stations the tile holds (37,000 at z10 in central Beijing
# with a million stations).
TILE_DENSE = text(
    f"""
    WITH {_CELLS_UNDER.format(level="level")}, {_RANKED}, stations_in AS (
        SELECT {_STATION_FEATURE}
        FROM ranked AS r
        JOIN LATERAL (
            SELECT * FROM stations AS s
            WHERE s.geom && ST_MakeEnvelope(r.cx / :per_degree - 1e-9, r.cy / :per_degree - 1e-9,
                                            (r.cx + 1) / :per_degree + 1e-9, (r.cy + 1) / :per_degree + 1e-9, 4326)
              AND s.deleted_at IS NULL
              AND floor(ST_X(s.geom) * (64 << :level) / 360.0)::int = r.cx
              AND floor(ST_Y(s.geom) * (64 << :level) / 360.0)::int = r.cy
        ) AS s ON true
        WHERE r.kept
    ), {_DENSE}
    """
)

# Grouped live (from z14, whose tiles are 1/16 of a z10 tile's width: ~1,600 stations at most in central Beijing with
# a million stations), on a grid of :per_degree cells to a degree: the stations of the buffered tile, read once
# (ST_Intersects, as TILE_COUNT), and all of them kept when they are at most :budget (the tile is then TILE's).
TILE_DENSE_LIVE = text(
    f"""
    WITH points AS (
        SELECT s.id, s.kind, s.name, s.sign_code, s.status, s.geom,
               floor(ST_X(s.geom) * :per_degree)::int AS cx, floor(ST_Y(s.geom) * :per_degree)::int AS cy
        FROM stations AS s
        WHERE ST_Intersects(s.geom, ST_Transform(ST_TileEnvelope(:z, :x, :y, margin => CAST(:margin AS float8)), 4326))
          AND s.deleted_at IS NULL
    ), cells AS (
        SELECT cx, cy, count(*) AS count, avg(ST_X(geom)) AS lon, avg(ST_Y(geom)) AS lat FROM points GROUP BY cx, cy
    ), ranked AS (
        SELECT cells.*, sum(count) OVER () <= :budget
                        OR (count <= :few AND sum(count) OVER (ORDER BY count, cx, cy) <= :keep) AS kept
        FROM cells
    ), stations_in AS (
        SELECT {_STATION_FEATURE}
        FROM points AS s JOIN ranked AS r USING (cx, cy)
        WHERE r.kept
    ), {_DENSE}
    """
)
