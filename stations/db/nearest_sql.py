"""The nearest lookup's one statement, rendered for the shape of a lookup, with its placeholders named.

Rules kept here: functions never wrap the indexed column except as the exact indexed expression `geography(geom)`;
an unfiltered lookup walks the geography index by sphere metres (`_SPHERE_TEMPLATE`), a filtered one the planar
index (`_TEMPLATE`); a radius bounds the KNN scan with the circle's lon/lat box and `ST_DWithin` on geography; the
number of candidates `k` is written into the text (a generic plan cannot see a `LIMIT $k`: it assumed 10% of the rows
and chose a sequential scan for kind filters), so each (shape, k) is its own prepared statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_POINT = "ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)"
_COLUMNS = """id, site_id, kind, name, address, hours, self_service_hours, access_methods, amenities,
           status, status_reason, sign_code, verified_at, confirmed_open_at, star_rating, quality_score,
           ST_X(geom) AS lon, ST_Y(geom) AS lat"""
# Unfiltered: the nearest by sphere metres on the geography index (a KNN scan stopped after `reach` stations),
# re-ranked by spheroid metres. Exact because the two differ no more than the ellipsoid's radii of curvature differ
# from the sphere's (PostGIS's mean radius R1): along any path the spheroid's length is at least M/R1 of the sphere's,
# M the meridian radius at the path's lowest latitude (`_RATIO`), so a station beyond the last fetched one is farther
# than `bound` whenever that one's sphere metres x the ratio exceed it. When they do not (a crowded ring just beyond
# the k-th station, as for a point far from a city: the ring is kilometres wide there), the second branch reads every
# station within the reach. Before, pass 1 was planar (its bound overshot by up to 1/cos(latitude)) and pass 2 ranked
# the geography box around the bound: for a point in the sea 300+ km from a city the box held the city, 37,513
# stations ranked in 247 ms.
_SPHERE_TEMPLATE = """
    WITH near AS MATERIALIZED (
        SELECT id, geom, geography(geom) <-> geography({point}) AS sphere_m
        FROM stations
        WHERE {where}
        ORDER BY geography(geom) <-> geography({point})
        LIMIT {reach}
    ), ranked AS MATERIALIZED (
        SELECT id, sphere_m, ST_Distance(geography(geom), geography({point})) AS metres,
               row_number() OVER (ORDER BY sphere_m, id) AS place
        FROM near
    ), kth AS MATERIALIZED (
        -- The k-th nearest by sphere metres bounds the k-th nearest by spheroid metres from above.
        SELECT max(metres) FILTER (WHERE place <= {k}) AS metres, max(sphere_m) AS reach, count(*) AS fetched
        FROM ranked
    ), bound AS MATERIALIZED (
        SELECT metres, fetched < {reach} OR reach * ratio > metres + 0.01 AS complete, ratio
        FROM kth, LATERAL (SELECT {ratio} AS ratio) AS r
    )
    SELECT {columns}, candidates.metres AS distance_m
    FROM (
        SELECT id, metres FROM ranked WHERE (SELECT complete FROM bound)
        UNION ALL
        {fallback}
    ) AS candidates JOIN stations USING (id)
    ORDER BY distance_m, id
    LIMIT {k}
"""
# The second branch: every live station whose sphere metres are within the bound's reach (a superset of those within
# the bound by spheroid metres), read by the take-while KNN scan of migration 0022, which stops at the reach. (The
# geography index's box around the circle, as `ST_DWithin` reads it, held whole cities outside the circle.)
_CAP = "(SELECT (metres + 0.01) / ratio FROM bound)"
# The least spheroid / sphere ratio on any path from the point to a station within `metres` of it: such a station
# lies within metres / M(0) radians of the point's latitude (M(0) = 6,335,439 m, the least meridian radius), a
# geodesic between two northern points never dips below the lower one's latitude, and the ratio there is at least
# M(latitude) / R1 (M grows with |latitude|; R1 = 6,371,008.77 m, PostGIS's sphere). 0.9944 at the equator, ~0.997
# in central China: half the ring of the constant 0.994. Less 1e-6 for rounding.
_RATIO = ("6335439.327 / power(1 - 0.00669437999 * power(sin(greatest(0, radians({lat}) - metres / 6335439.327)), 2),"
          " 1.5) / 6371008.7714 - 0.000001")
_FALLBACK_SCAN = ("SELECT id, metres FROM nearest_live_within({lon}, {lat}, " + _CAP + ")"
                  " WHERE NOT (SELECT complete FROM bound)")
# With a filter (kinds, amenities, open now, radius): the planar two-pass statement. On the geography index a generic
# plan that thinks a filter rare sorts the filtered table instead of walking the KNN scan; the planar KNN it keeps.
_TEMPLATE = """
    WITH bound AS (
        -- Pass 1: k candidates by planar KNN on the geom index (fast, but degrees are not metres).
        -- The k-th of their true distances bounds the true k-th nearest from above.
        SELECT max(ST_Distance(geography(geom), geography({point}))) AS metres
        FROM (
            SELECT geom FROM stations
            WHERE {where}{radius}
            ORDER BY geom <-> {point}
            LIMIT {k}
        ) AS candidates
    )
    -- Pass 2: everything within that bound on the geography index, ranked by spheroid metres:
    -- exact by construction (no station nearer than the bound can be missed). The 1 cm slack covers
    -- ST_DWithin and ST_Distance rounding differently at the bound itself.
    SELECT {columns}, ST_Distance(geography(geom), geography({point})) AS distance_m
    FROM stations
    WHERE {where}
      AND ST_DWithin(geography(geom), geography({point}), {within})
    ORDER BY distance_m, id
    LIMIT {k}
"""
_BOUND = "(SELECT metres + 0.01 FROM bound)"
REACH = 4
"""Stations the sphere KNN fetches per station asked for."""
_LIVE = "deleted_at IS NULL AND status <> 'closed'"
_KINDS = " AND kind = ANY(CAST({kinds} AS varchar[]))"
# Written so no plan can drive it from the GIN index: a cached generic plan does not know how common the
# amenities are and once chose a bitmap scan of 99% of the table over the KNN index.
_AMENITIES = " AND (amenities @> CAST({amenities} AS varchar[])) IS TRUE"
# A radius keeps pass 1 on the KNN scan of the geom index, bounded by the circle's lon/lat box in the same scan;
# pass 2 then takes the nearer of the bound and the radius. Exact: the k nearest within the radius are the k nearest
# overall that lie within it. (As ST_DWithin in pass 1, the planner sorted every station within the radius.)
_RADIUS_BOX = " AND geom && ST_MakeEnvelope({west}, {south}, {east}, {north}, 4326)"
_RADIUS_BOUND = "least(" + _BOUND + ", CAST({radius_m} AS float8))"
# The open filter: a station on a timetable known to be open at the asked minute, or on one not known yet (checked
# in Python afterwards). Applied while the KNN index is scanned, never through an index of its own.
_TIMETABLE = "hours || chr(31) || coalesce(self_service_hours, '')"
_OPEN = (" AND status = 'active' AND (" + _TIMETABLE + " IN (SELECT unnest(CAST({open_timetables} AS text[])))"
         " OR " + _TIMETABLE + " NOT IN (SELECT unnest(CAST({known_timetables} AS text[]))))")

_BY_FILTER: dict[str | None, tuple[str, ...]] = {
    None: ("lon", "lat"),
    "kinds": ("kinds",),
    "amenities": ("amenities",),
    "radius": ("radius_m", "west", "south", "east", "north"),
    "open_": ("open_timetables", "known_timetables"),
}
"""Each filter's parameters (None: every shape's), keyed by the `Shape` field that adds them."""


@dataclass(frozen=True, slots=True)
class Shape:
    """Which filters a lookup's statement carries: each shape gets a cached plan that fits it."""

    kinds: bool = False
    amenities: bool = False
    radius: bool = False
    open_: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """SQL with `$1, $2...` placeholders and the parameter each stands for, in order."""

    sql: str
    parameters: tuple[str, ...]

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        """The values of `parameters`, in placeholder order."""
        return [values[name] for name in self.parameters]


def nearest_statement(shape: Shape, k: int) -> Statement:
    """The nearest statement for `shape` and `k` candidates (a validated integer, written into the text)."""
    on = {None: True, "kinds": shape.kinds, "amenities": shape.amenities, "radius": shape.radius,
          "open_": shape.open_}
    names = tuple(name for key, group in _BY_FILTER.items() if on[key] for name in group)
    slot = {name: f"${i}" for i, name in enumerate(names, start=1)}
    where = (_LIVE + (_KINDS if shape.kinds else "") + (_AMENITIES if shape.amenities else "")
             + (_OPEN if shape.open_ else ""))
    if shape.radius or shape.kinds or shape.amenities or shape.open_:
        sql = _TEMPLATE.format(where=where, radius=_RADIUS_BOX if shape.radius else "", point=_POINT, k=int(k),
                               within=_RADIUS_BOUND if shape.radius else _BOUND, columns=_COLUMNS)
    else:
        sql = _SPHERE_TEMPLATE.format(where=where, point=_POINT, k=int(k), reach=REACH * int(k), columns=_COLUMNS,
                                      fallback=_FALLBACK_SCAN.format(lon="{lon}", lat="{lat}"), ratio=_RATIO)
    return Statement(sql=sql.format(**slot), parameters=names)


def timetable_key(hours: str, self_service_hours: str | None) -> str:
    """The key the open filter's SQL compares (`_TIMETABLE`): hours, U+001F, self-service hours or ''."""
    return f"{hours}\x1f{self_service_hours or ''}"
