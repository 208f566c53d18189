"""All spatial SQL of the lookup paths, as named constants written so the GiST indexes are used.

Rules kept here: functions never wrap the indexed column except as the exact indexed expression
`geography(geom)`; radius filters are `ST_DWithin` on geography (metres, spheroid), and bound a KNN scan with the
circle's lon/lat box; bbox filters compare `geom &&` an envelope (transform the box, never the column).
"""

from __future__ import annotations

import re
from functools import lru_cache

from sqlalchemy import TextClause, text

# Filters shared by every public lookup; :kinds and :amenities are arrays (empty = no filter).
PUBLIC_FILTER = """
    deleted_at IS NULL AND status <> 'closed'
    AND (cardinality(CAST(:kinds AS varchar[])) = 0 OR kind = ANY(CAST(:kinds AS varchar[])))
    AND amenities @> CAST(:amenities AS varchar[])
"""

_POINT = "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)"

_NEAREST_TEMPLATE = """
    WITH bound AS (
        -- Pass 1: k candidates by planar KNN on the geom index (fast, but degrees are not metres).
        -- The k-th of their true distances bounds the true k-th nearest from above.
        SELECT max(ST_Distance(geography(geom), geography({point}))) AS metres
        FROM (
            SELECT geom FROM stations
            WHERE {where}{radius}
            ORDER BY geom <-> {point}
            LIMIT :k
        ) AS candidates
    )
    -- Pass 2: everything within that bound on the geography index, ranked by spheroid metres:
    -- exact by construction (no station nearer than the bound can be missed). The 1 cm slack covers
    -- ST_DWithin and ST_Distance rounding differently at the bound itself.
    SELECT id, site_id, kind, name, address, hours, self_service_hours, access_methods, amenities,
           status, status_reason, sign_code, verified_at,
           ST_X(geom) AS lon, ST_Y(geom) AS lat,
           ST_Distance(geography(geom), geography({point})) AS distance_m
    FROM stations
    WHERE {where}
      AND ST_DWithin(geography(geom), geography({point}), {within})
    ORDER BY distance_m, id
    LIMIT :k
"""
_BOUND = "(SELECT metres + 0.01 FROM bound)"
_LIVE = "deleted_at IS NULL AND status <> 'closed'"
_KINDS = " AND kind = ANY(CAST(:kinds AS varchar[]))"
# Written so no plan can drive it from the GIN index: a cached generic plan does not know how common the
# amenities are and once chose a bitmap scan of 99% of the table (134 ms) over the KNN index (0.5 ms).
_AMENITIES = " AND (amenities @> CAST(:amenities AS varchar[])) IS TRUE"
# A radius keeps pass 1 on the KNN scan of the geom index, bounded by the circle's lon/lat box
# (`geodesy.circle_box`) in the same scan; pass 2 then takes the nearer of the bound and the radius. Exact: the k
# nearest within the radius are the k nearest overall that lie within it. (Written as ST_DWithin in pass 1, the
# planner chose the geography index and sorted every station within the radius: `bench.shapes` at 3 km, 6.8-8.9 ms
# a lookup at 100k and 63-76 ms at 1M, against 0.8-1.2 ms now.)
_RADIUS_BOX = " AND geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326)"
_RADIUS_BOUND = f"least({_BOUND}, CAST(:radius_m AS float8))"
# Open filter (services/timetables.py): on a timetable known to be open at the asked minute, or on one not known yet
# (checked in Python afterwards). Applied while the KNN index is scanned, never through an index of its own.
_TIMETABLE = "hours || chr(31) || coalesce(self_service_hours, '')"
_OPEN = (f" AND status = 'active' AND ({_TIMETABLE} IN (SELECT unnest(CAST(:open_timetables AS text[])))"
         f" OR {_TIMETABLE} NOT IN (SELECT unnest(CAST(:known_timetables AS text[]))))")


def nearest_sql(*, kinds: bool, amenities: bool, radius: bool, open_: bool = False) -> str:
    """The nearest statement with only the filters a lookup uses, so each shape gets a cached plan that fits it."""
    where = _LIVE + (_KINDS if kinds else "") + (_AMENITIES if amenities else "") + (_OPEN if open_ else "")
    return _NEAREST_TEMPLATE.format(where=where, radius=_RADIUS_BOX if radius else "", point=_POINT,
                                    within=_RADIUS_BOUND if radius else _BOUND)


def pyformat(clause: TextClause | str) -> str:
    """The same SQL with `%(name)s` placeholders, for the psycopg driver directly (hot paths)."""
    sql = clause if isinstance(clause, str) else clause.text
    return re.sub(r"(?<![:\w]):(\w+)", r"%(\1)s", sql.replace("%", "%%"))


@lru_cache(maxsize=512)
def nearest_psycopg(*, kinds: bool, amenities: bool, radius: bool, k: int, open_: bool = False) -> str:
    """`nearest_sql` for psycopg's server-side prepared statements, with the validated integer `k` written in.

    A cached generic plan cannot see a `LIMIT $k`: it assumed 10% of the rows and chose a seq scan and sort over
    the KNN index for kind filters. One prepared statement per (shape, k) keeps every plan index-driven.
    """
    return pyformat(_with_k(nearest_sql(kinds=kinds, amenities=amenities, radius=radius, open_=open_), k))


_PARAMETERS_BY_FILTER = {
    None: ("lon", "lat"),
    "kinds": ("kinds",),
    "amenities": ("amenities",),
    "radius": ("radius_m", "west", "south", "east", "north"),
    "open_": ("open_timetables", "known_timetables"),
}
"""Each filter's parameters (None: every shape's), keyed by the `nearest_sql` flag that adds them."""
NEAREST_PARAMETERS = tuple(name for names in _PARAMETERS_BY_FILTER.values() for name in names)
"""The nearest statement's parameters, in the order `nearest_asyncpg` numbers those a shape uses (callers pass
their values in this order, e.g. `[params[n] for n in NEAREST_PARAMETERS if n in params]`)."""


@lru_cache(maxsize=512)
def nearest_asyncpg(*, kinds: bool, amenities: bool, radius: bool, k: int, open_: bool = False) -> str:
    """`nearest_psycopg` with `$1, $2...` placeholders for asyncpg: the used `NEAREST_PARAMETERS`, in order."""
    sql = _with_k(nearest_sql(kinds=kinds, amenities=amenities, radius=radius, open_=open_), k)
    used = nearest_parameters(kinds=kinds, amenities=amenities, radius=radius, open_=open_)
    return re.sub(r"(?<![:\w]):(\w+)", lambda m: f"${used.index(m.group(1)) + 1}", sql)


def nearest_parameters(*, kinds: bool, amenities: bool, radius: bool, open_: bool = False) -> list[str]:
    """The `NEAREST_PARAMETERS` a statement shape uses, in their `$n` order."""
    on = {None: True, "kinds": kinds, "amenities": amenities, "radius": radius, "open_": open_}
    return [name for flag, names in _PARAMETERS_BY_FILTER.items() if on[flag] for name in names]


def _with_k(sql: str, k: int) -> str:
    """`sql` with the validated integer `k` written in for `:k` (see `nearest_psycopg` for why)."""
    return re.sub(r":k\b", str(int(k)), sql)


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
