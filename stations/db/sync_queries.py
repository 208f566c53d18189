"""SQL of the provider-sync paths (feed, OGC items, tiles, exports) as named constants.

Same rules as stations/db/queries.py: functions never wrap an indexed column; bbox and tile filters
transform the envelope to 4326 and compare `geom &&` it, so the GiST index on geom is used.
"""

from __future__ import annotations

from sqlalchemy import text

from stations.db.viewport_sql import CELLS

FEED_LOCK_KEY = 7_301_002_026
"""Advisory lock taken by the station_changes insert trigger (migration 0003_sync) so ids follow commits."""

# Station changes and (issue 24) alert events share one sequence and one lock (migration 0019), so one cursor
# orders both; each branch is an index scan in id order, merged. :stations / :alerts choose the event types.
FEED_PAGE = text(
    """
    SELECT * FROM (
        SELECT id, 'station' AS event, station_id, CAST(NULL AS bigint) AS alert_id, action, reason, after,
               changed_at, merged_into
        FROM station_changes
        WHERE CAST(:stations AS boolean) AND id > :since
          AND (CAST(:modified_since AS timestamptz) IS NULL OR changed_at >= CAST(:modified_since AS timestamptz))
        UNION ALL
        SELECT id, 'alert', NULL, alert_id, action, NULL, after, changed_at, NULL
        FROM alert_changes
        WHERE CAST(:alerts AS boolean) AND id > :since
          AND (CAST(:modified_since AS timestamptz) IS NULL OR changed_at >= CAST(:modified_since AS timestamptz))
    ) AS changes
    ORDER BY id
    LIMIT :limit
    """
)

FEED_HEAD = text("SELECT greatest((SELECT coalesce(max(id), 0) FROM station_changes), "
                 "(SELECT coalesce(max(id), 0) FROM alert_changes))")

# OGC items: :west.. are CRS84 degrees (NULL = no bbox), :kinds an array (empty = any kind),
# :start/:end bound updated_at (NULL = open), :after is the keyset cursor on id.
ITEMS_FILTER = """
    deleted_at IS NULL
    AND (CAST(:west AS float8) IS NULL
         OR geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326))
    AND (cardinality(CAST(:kinds AS varchar[])) = 0 OR kind = ANY(CAST(:kinds AS varchar[])))
    AND (CAST(:start AS timestamptz) IS NULL OR updated_at >= CAST(:start AS timestamptz))
    AND (CAST(:end AS timestamptz) IS NULL OR updated_at <= CAST(:end AS timestamptz))
"""

ITEMS_IDS = text(f"SELECT id FROM stations WHERE {ITEMS_FILTER} AND id > :after ORDER BY id LIMIT :limit")

# numberMatched of a filtered page, counted up to :cap (beyond it the page leaves numberMatched out, as OGC API
# Features allows): a count of every station matching took a full scan per page.
ITEMS_COUNT = text(f"SELECT count(*) FROM (SELECT 1 FROM stations WHERE {ITEMS_FILTER} LIMIT :cap) AS capped")

# numberMatched without filters: every station not deleted, from the aggregates of migration 0022 (level 0).
ITEMS_TOTAL = text(f"SELECT coalesce(sum(count), 0) FROM {CELLS} AS c WHERE level = 0")

# The collection's extent without a scan of the table: the outermost non-empty cells of level 6 (0.088 degrees), then
# the exact outermost station within each of those strips, found on the geom index (strips widened by 1e-6 degrees:
# what lies beyond a strip's inner edge is farther in, so the extreme found is still the extreme); first and last
# change from the ends of ix_stations_updated_at.
COLLECTION_EXTENT = text(
    f"""
    WITH edge AS (
        SELECT min(cx) * 0.087890625 AS x0, (max(cx) + 1) * 0.087890625 AS x1,
               min(cy) * 0.087890625 AS y0, (max(cy) + 1) * 0.087890625 AS y1
        FROM (SELECT cx, cy FROM {CELLS} AS c WHERE level = 6 GROUP BY cx, cy HAVING sum(count) > 0) AS cells
    )
    SELECT (SELECT min(ST_X(geom)) FROM stations WHERE deleted_at IS NULL
              AND geom && ST_MakeEnvelope(x0 - 1e-6, -90, x0 + 0.087891625, 90, 4326)),
           (SELECT min(ST_Y(geom)) FROM stations WHERE deleted_at IS NULL
              AND geom && ST_MakeEnvelope(-180, y0 - 1e-6, 180, y0 + 0.087891625, 4326)),
           (SELECT max(ST_X(geom)) FROM stations WHERE deleted_at IS NULL
              AND geom && ST_MakeEnvelope(x1 - 0.087891625, -90, x1 + 1e-6, 90, 4326)),
           (SELECT max(ST_Y(geom)) FROM stations WHERE deleted_at IS NULL
              AND geom && ST_MakeEnvelope(-180, y1 - 0.087891625, 180, y1 + 1e-6, 4326)),
           (SELECT min(updated_at) FROM stations WHERE deleted_at IS NULL),
           (SELECT max(updated_at) FROM stations WHERE deleted_at IS NULL)
    FROM edge
    """
)

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

# Below CLUSTER_BELOW_ZOOM a tile would carry every station of a province (megabytes at z4): layer `clusters` instead
# holds one point per grid cell of the tile (their centroid) with the station count, from the aggregates of migration
# 0022 (`station_cells`, kept current by triggers; grouping every station in view took 0.86 s for a z4 tile at 100k):
# the tile's own level (64 cells across a tile at every zoom below 10), the cells in the buffered tile (integer
# bounds from Python: computed in SQL they were compared as floats, off the index, and the plan's cost woke the JIT,
# 420 ms a z9 tile), their centroids projected. The feature id is the cell's: (cx + 2^20) * 2^21 + (cy + 2^20),
# positive as MVT ids must be.
TILE_CELLS = text(
    f"""
    WITH cells AS (
        SELECT cx, cy, sum(count) AS count, sum(sum_lon) / sum(count) AS lon, sum(sum_lat) / sum(count) AS lat
        FROM {CELLS} AS c
        WHERE level = :z AND cx = ANY(CAST(:columns AS integer[])) AND cy BETWEEN :y0 AND :y1
        GROUP BY cx, cy
        HAVING sum(count) > 0
    ), features AS (
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
    WITH cells AS (
        SELECT cx, cy, sum(count) AS count, sum(sum_lon) / sum(count) AS lon, sum(sum_lat) / sum(count) AS lat
        FROM {CELLS} AS c
        WHERE level = :level AND cx = ANY(CAST(:columns AS integer[])) AND cy BETWEEN :y0 AND :y1
        GROUP BY cx, cy
        HAVING sum(count) > 0
    ), {_RANKED}, stations_in AS (
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

# Exports: live stations of a region (adcode prefix, '' = all), streamed in id order.
EXPORT_ROWS = text(
    """
    SELECT id, kind, name, address, adcode, ST_X(geom) AS lon, ST_Y(geom) AS lat, hours,
           self_service_hours, access_methods, amenities, phone, status, sign_code, updated_at,
           star_rating, star_rule_version, quality_score, verified_at
    FROM stations
    WHERE deleted_at IS NULL AND adcode LIKE :region || '%'
    ORDER BY id
    """
)

# Listing coverage of a region (adcode prefix, '' = all): per provider and status, plus stale listings
# (station changed after its last sync) and 双上图 (listed on both Amap and Baidu).
LISTING_COUNTS = text(
    """
    SELECT l.provider, l.status, count(*) AS n,
           count(*) FILTER (WHERE l.status IN ('listed', 'submitted')
                            AND (l.last_synced_at IS NULL OR s.updated_at > l.last_synced_at)) AS stale
    FROM provider_listings AS l JOIN stations AS s ON s.id = l.station_id
    WHERE s.deleted_at IS NULL AND s.adcode LIKE :region || '%'
    GROUP BY l.provider, l.status
    """
)

LISTING_TOTALS = text(
    """
    SELECT count(*) AS total,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM provider_listings AS l WHERE l.station_id = s.id AND l.status = 'listed'
               GROUP BY l.station_id HAVING count(*) FILTER (WHERE l.provider IN ('amap', 'baidu')) = 2
           )) AS both_amap_baidu
    FROM stations AS s
    WHERE s.deleted_at IS NULL AND s.adcode LIKE :region || '%'
    """
)

NEEDS_RESYNC = text(
    """
    SELECT s.id, s.sign_code, s.name, s.adcode, l.provider, l.status, l.poi_id, l.last_synced_at, s.updated_at
    FROM provider_listings AS l JOIN stations AS s ON s.id = l.station_id
    WHERE s.deleted_at IS NULL AND s.adcode LIKE :region || '%'
      AND (CAST(:provider AS varchar) IS NULL OR l.provider = CAST(:provider AS varchar))
      AND l.status IN ('listed', 'submitted')
      AND (l.last_synced_at IS NULL OR s.updated_at > l.last_synced_at)
      AND s.id > :after
    ORDER BY s.id, l.provider
    LIMIT :limit
    """
)
