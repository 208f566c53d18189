"""The viewport's spatial SQL, as named constants written so the GiST index is used: bbox filters compare
`geom &&` an envelope (transform the box, never the column). The nearest statement is in `nearest_sql`."""

from __future__ import annotations

from sqlalchemy import text

# Filters shared by every public lookup; :kinds and :amenities are arrays (empty = no filter).
PUBLIC_FILTER = """
    deleted_at IS NULL AND status <> 'closed'
    AND (cardinality(CAST(:kinds AS varchar[])) = 0 OR kind = ANY(CAST(:kinds AS varchar[])))
    AND amenities @> CAST(:amenities AS varchar[])
"""

VIEWPORT_COUNT = text(
    f"""
    SELECT count(*) FROM (
        SELECT 1 FROM stations
        WHERE geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) AND {PUBLIC_FILTER}
        LIMIT :cap
    ) AS capped
    """
)

VIEWPORT_STATIONS = text(
    f"""
    SELECT id, site_id, kind, name, status, sign_code, ST_X(geom) AS lon, ST_Y(geom) AS lat
    FROM stations
    WHERE geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) AND {PUBLIC_FILTER}
    ORDER BY id
    LIMIT :cap
    """
)

VIEWPORT_CLUSTERS = text(
    f"""
    SELECT count(*) AS count, ST_X(ST_Centroid(ST_Collect(geom))) AS lon, ST_Y(ST_Centroid(ST_Collect(geom))) AS lat,
           min(id) AS first_id
    FROM stations
    WHERE geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) AND {PUBLIC_FILTER}
    GROUP BY ST_SnapToGrid(geom, :cell, :cell)
    ORDER BY count DESC, first_id
    LIMIT :cap
    """
)

CELL_LEVELS = 10
"""Levels 0-9 of `station_cells` (migration 0022): a cell of level L is 360 / 2^(L + 6) degrees."""

# The cluster aggregates of migration 0022 as of the reader's snapshot: the folded cells plus the deltas that writers
# appended since the last fold (`FOLD_CELLS`).
CELLS = """(SELECT level, cx, cy, closed, count, sum_lon, sum_lat FROM station_cells
           UNION ALL SELECT level, cx, cy, closed, count, sum_lon, sum_lat FROM station_cell_deltas)"""

# Clusters of the whole country or a province from the aggregates: the cells of `:level` in view (a few thousand at
# most), grouped again on the viewport's own grid by their centroids. Only for lookups without a kind or amenity
# filter, which the aggregates do not know.
VIEWPORT_CELLS = text(
    f"""
    SELECT CAST(sum(count) AS bigint) AS count, sum(sum_lon) / sum(count) AS lon, sum(sum_lat) / sum(count) AS lat
    FROM (
        SELECT sum(count) AS count, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat,
               sum(sum_lon) / sum(count) AS x, sum(sum_lat) / sum(count) AS y
        FROM {CELLS} AS c
        WHERE level = :level AND NOT closed AND cx = ANY(CAST(:columns AS integer[])) AND cy BETWEEN :y0 AND :y1
        GROUP BY cx, cy
        HAVING sum(count) > 0
    ) AS cells
    WHERE x BETWEEN :west AND :east AND y BETWEEN :south AND :north
    GROUP BY floor(x / :cell), floor(y / :cell)
    ORDER BY count DESC, lon, lat
    LIMIT :cap
    """
)

# Fold the committed deltas into the cells, in one short transaction (one folder at a time: the advisory lock). The
# DELETE sees only committed deltas; those of writers still open wait for the next fold.
CELLS_FOLD_LOCK = 7_301_002_117
FOLD_CELLS = text(
    """
    WITH moved AS (
        DELETE FROM station_cell_deltas RETURNING level, cx, cy, closed, count, sum_lon, sum_lat
    )
    INSERT INTO station_cells AS c (level, cx, cy, closed, count, sum_lon, sum_lat)
    SELECT level, cx, cy, closed, sum(count), sum(sum_lon), sum(sum_lat) FROM moved
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (level, cx, cy, closed) DO UPDATE
    SET count = c.count + excluded.count, sum_lon = c.sum_lon + excluded.sum_lon,
        sum_lat = c.sum_lat + excluded.sum_lat
    """
)
TRY_FOLD_LOCK = text(f"SELECT pg_try_advisory_xact_lock({CELLS_FOLD_LOCK})")
