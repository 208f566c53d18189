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

# Clusters of the whole country or a province from the aggregates of migration 0017 (`station_cells`, kept current by
# triggers): the cells of `:level` in view (a few thousand at most), grouped again on the viewport's own grid by
# their centroids. Only for lookups without a kind or amenity filter, which the aggregates do not know.
VIEWPORT_CELLS = text(
    """
    SELECT sum(count) AS count, sum(sum_lon) / sum(count) AS lon, sum(sum_lat) / sum(count) AS lat
    FROM (
        SELECT count, sum_lon, sum_lat, sum_lon / count AS x, sum_lat / count AS y
        FROM station_cells
        WHERE level = :level AND NOT closed AND count > 0
          AND cx BETWEEN :x0 AND :x1 AND cy BETWEEN :y0 AND :y1
    ) AS cells
    WHERE x BETWEEN :west AND :east AND y BETWEEN :south AND :north
    GROUP BY floor(x / :cell), floor(y / :cell)
    ORDER BY count DESC, lon, lat
    LIMIT :cap
    """
)
