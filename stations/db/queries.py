"""All spatial SQL of the lookup paths, as named constants written so the GiST indexes are used.

Rules kept here: functions never wrap the indexed column except as the exact indexed expression
`geography(geom)`; radius filters are `ST_DWithin` on geography (metres, spheroid); bbox filters
compare `geom &&` an envelope (transform the box, never the column).
"""

from __future__ import annotations

import re

from sqlalchemy import TextClause, text

# Filters shared by every public lookup; :kinds and :amenities are arrays (empty = no filter).
PUBLIC_FILTER = """
    deleted_at IS NULL AND status <> 'closed'
    AND (cardinality(CAST(:kinds AS varchar[])) = 0 OR kind = ANY(CAST(:kinds AS varchar[])))
    AND amenities @> CAST(:amenities AS varchar[])
"""

_POINT = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"

NEAREST = text(
    f"""
    WITH bound AS (
        -- Pass 1: k candidates by planar KNN on the geom index (fast, but degrees are not metres).
        -- The k-th of their true distances bounds the true k-th nearest from above.
        SELECT max(ST_Distance(geography(geom), geography({_POINT}))) AS metres
        FROM (
            SELECT geom FROM stations
            WHERE {PUBLIC_FILTER} AND (CAST(:radius_m AS float8) IS NULL
                OR ST_DWithin(geography(geom), geography({_POINT}), CAST(:radius_m AS float8)))
            ORDER BY geom <-> {_POINT}
            LIMIT :k
        ) AS candidates
    )
    -- Pass 2: everything within that bound on the geography index, ranked by spheroid metres:
    -- exact by construction (no station nearer than the bound can be missed). The 1 cm slack covers
    -- ST_DWithin and ST_Distance rounding differently at the bound itself.
    SELECT id, site_id, kind, name, address, hours, self_service_hours, access_methods, amenities,
           status, status_reason, sign_code, verified_at,
           ST_X(geom) AS lon, ST_Y(geom) AS lat,
           ST_Distance(geography(geom), geography({_POINT})) AS distance_m
    FROM stations
    WHERE {PUBLIC_FILTER}
      AND ST_DWithin(geography(geom), geography({_POINT}), (SELECT metres + 0.01 FROM bound))
    ORDER BY distance_m, id
    LIMIT :k
    """
)



def pyformat(clause: TextClause) -> str:
    """The same SQL with `%(name)s` placeholders, for the psycopg driver directly (hot paths)."""
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", clause.text.replace("%", "%%"))


NEAREST_PSYCOPG = pyformat(NEAREST)
"""NEAREST for psycopg's server-side prepared statements: no SQLAlchemy compilation per request."""

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
