"""SQL of the provider-sync paths (feed, OGC items, exports) as named constants (tiles: `tile_sql`).

Same rules as stations/db/queries.py: functions never wrap an indexed column; bbox and tile filters
transform the envelope to 4326 and compare `geom &&` it, so the GiST index on geom is used.
"""

from __future__ import annotations

from sqlalchemy import ARRAY, BigInteger, String, any_, bindparam, func, select, text

from stations.db.models import ProviderListing, Station
from stations.db.viewport_sql import CELLS

FEED_LOCK_KEY = 7_301_002_026
"""Advisory lock taken by the station_changes insert trigger (migration 0003_sync) so ids follow commits."""

# Station changes and (issue 24) alert events share one sequence and one lock (migration 0019), so one cursor
# orders both; each branch is an index scan in id order, merged. :stations / :alerts choose the event types.
# Each branch takes its first :limit in id order itself: as one union under the ORDER BY, the planner scanned and
# sorted the whole table for a page near the start (a parallel seq scan and top-N sort of 95,000 rows a page at 100k,
# so reading the feed from 0 cost a scan per page). `after` is sent as JSON text, cast on the page's rows only (cast
# inside, it sorted the casts too); the service parses it with orjson (the driver's standard-library parser took ~40%
# of a page).
FEED_PAGE = text(
    """
    SELECT id, event, station_id, alert_id, action, reason, CAST(after AS text) AS after, changed_at, merged_into
    FROM (
        (SELECT id, 'station' AS event, station_id, CAST(NULL AS bigint) AS alert_id, action, reason, after,
                changed_at, merged_into
         FROM station_changes
         WHERE CAST(:stations AS boolean) AND id > :since
           AND (CAST(:modified_since AS timestamptz) IS NULL OR changed_at >= CAST(:modified_since AS timestamptz))
         ORDER BY id
         LIMIT :limit)
        UNION ALL
        (SELECT id, 'alert', NULL, alert_id, action, NULL, after, changed_at, NULL
         FROM alert_changes
         WHERE CAST(:alerts AS boolean) AND id > :since
           AND (CAST(:modified_since AS timestamptz) IS NULL OR changed_at >= CAST(:modified_since AS timestamptz))
         ORDER BY id
         LIMIT :limit)
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

# A page of public rows in one statement: every column but geom, which comes as lon/lat (ST_X/ST_Y: the stored
# doubles, what decoding the WKB gives), typed as the ORM types them but without building ORM objects (loading
# 100 stations and their listings as objects was 41% of an items page's profile, measured in one process).
# Core columns of the tables, not the mapped attributes: an ORM-enabled select cost ~40-80 us more a statement.
_S, _L = Station.__table__.c, ProviderListing.__table__.c
PUBLIC_COLUMNS = (*(c for c in _S if c.key != "geom"), func.ST_X(_S.geom).label("lon"), func.ST_Y(_S.geom).label("lat"))
ITEMS_PAGE = (select(*PUBLIC_COLUMNS).where(text(ITEMS_FILTER), _S.id > bindparam("after"))
              .order_by(_S.id).limit(bindparam("limit")))
LIVE_ITEM = select(*PUBLIC_COLUMNS).where(_S.id == bindparam("id"), _S.deleted_at.is_(None))
# Their listings, per station in the order `Station.listings` gives (by provider).
LISTINGS_OF = (select(ProviderListing.__table__).where(_L.station_id == any_(bindparam("ids", type_=ARRAY(BigInteger))))
               .order_by(_L.station_id, _L.provider))
# One station and its listings in one statement (station pages): a row per listing, one of NULLs without any.
LIVE_PUBLIC = (
    select(*PUBLIC_COLUMNS, *(c.label(f"listing_{c.key}") for c in (_L.provider, _L.status, _L.poi_id,
                                                                   _L.last_synced_at)))
    .select_from(Station.__table__.outerjoin(ProviderListing.__table__))
    .where(_S.id == bindparam("id"), _S.deleted_at.is_(None)).order_by(_L.provider)
)
# The sign page's station: id, point and name (`= ANY`, not an expanding IN: asyncpg runs it, `db.statements`).
LIVE_POINT_BY_SIGN = (select(_S.id, func.ST_X(_S.geom).label("lon"), func.ST_Y(_S.geom).label("lat"), _S.name)
                      .where(_S.sign_code == any_(bindparam("codes", type_=ARRAY(String))), _S.deleted_at.is_(None)))

# numberMatched of a filtered page, counted up to :cap (beyond it the page leaves numberMatched out, as OGC API
# Features allows): a count of every station matching took a full scan per page.
ITEMS_COUNT = text(f"SELECT count(*) AS matched FROM (SELECT 1 FROM stations WHERE {ITEMS_FILTER} LIMIT :cap) AS c")

# numberMatched without filters: every station not deleted, from the aggregates of migration 0022 (level 0).
ITEMS_TOTAL = text(f"SELECT coalesce(sum(count), 0) AS matched FROM {CELLS} AS c WHERE level = 0")

# The collection's extent without a scan of the table, from the cluster aggregates: the non-empty cells of level 6
# (0.088 degrees) on the rim of the registry, their non-empty children of level 9 (0.011 degrees, found by key), and
# then the exact outermost station on the geom index within each outermost row or column of those children, bounded
# across by that row's or column's own cells (boxes widened by 1e-6 degrees, so a station on a grid line is inside:
# what lies beyond a box's inner edge is farther in, so the extreme found is still the extreme). At 1M stations this
# reads a few hundred stations where 0.088-degree strips spanning the country read 9,000 (10-15 to 2-3 ms a request).
# First and last change come from the ends of ix_stations_updated_at.
_FINE = 360 / (64 << 9)


def _outermost(agg: str, axis: str, at: str, lo: str, hi: str) -> str:
    """The outermost station (`agg` of ST_X or ST_Y) in the level-9 cells of column or row `at`, from `lo` to `hi`."""
    x0, y0, x1, y1 = (at, lo, at, hi) if axis == "X" else (lo, at, hi, at)
    return (f"(SELECT {agg}(ST_{axis}(geom)) FROM stations WHERE deleted_at IS NULL AND geom && ST_MakeEnvelope("
            f"{x0} * {_FINE} - 1e-6, {y0} * {_FINE} - 1e-6, ({x1} + 1) * {_FINE} + 1e-6, ({y1} + 1) * {_FINE} + 1e-6,"
            " 4326))")


COLLECTION_EXTENT = text(
    f"""
    WITH coarse AS (
        SELECT cx, cy FROM {CELLS} AS c WHERE level = 6 GROUP BY cx, cy HAVING sum(count) > 0
    ), edge AS (
        SELECT min(cx) AS w, max(cx) AS e, min(cy) AS s, max(cy) AS n FROM coarse
    ), fine AS (
        SELECT f.cx, f.cy FROM coarse, edge, LATERAL (
            SELECT cx, cy FROM {CELLS} AS c
            WHERE level = 9 AND cx BETWEEN coarse.cx * 8 AND coarse.cx * 8 + 7
              AND cy BETWEEN coarse.cy * 8 AND coarse.cy * 8 + 7
            GROUP BY cx, cy HAVING sum(count) > 0) AS f
        WHERE coarse.cx IN (w, e) OR coarse.cy IN (s, n)
    ), rim AS (
        SELECT (SELECT min(cx) FROM fine) AS w, (SELECT max(cx) FROM fine) AS e,
               (SELECT min(cy) FROM fine) AS s, (SELECT max(cy) FROM fine) AS n
    ), strips AS (
        SELECT w, e, s, n,
               (SELECT min(cy) FROM fine WHERE cx = w) AS w0, (SELECT max(cy) FROM fine WHERE cx = w) AS w1,
               (SELECT min(cy) FROM fine WHERE cx = e) AS e0, (SELECT max(cy) FROM fine WHERE cx = e) AS e1,
               (SELECT min(cx) FROM fine WHERE cy = s) AS s0, (SELECT max(cx) FROM fine WHERE cy = s) AS s1,
               (SELECT min(cx) FROM fine WHERE cy = n) AS n0, (SELECT max(cx) FROM fine WHERE cy = n) AS n1
        FROM rim
    )
    SELECT {_outermost("min", "X", "w", "w0", "w1")}, {_outermost("min", "Y", "s", "s0", "s1")},
           {_outermost("max", "X", "e", "e0", "e1")}, {_outermost("max", "Y", "n", "n0", "n1")},
           (SELECT min(updated_at) FROM stations WHERE deleted_at IS NULL),
           (SELECT max(updated_at) FROM stations WHERE deleted_at IS NULL)
    FROM strips
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
