"""The nearest lookup's one statement, rendered for the shape of a lookup, with its placeholders named.

Rules kept here: functions never wrap the indexed column except as the exact indexed expressions `geography(geom)`
and `ecef(geom)`; an unfiltered lookup walks the straight-line index (`_UNFILTERED_TEMPLATE`), a filtered one the planar
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
# Unfiltered: the nearest by straight-line metres through the WGS-84 ellipsoid (`ecef`, migration 0026: an n-D GiST
# index of live stations' Earth-centred points, walked by `<<->>`), re-ranked by spheroid metres. Exact because a
# geodesic on the ellipsoid is a path between two points of its surface, never shorter than the straight line between
# them: once the last station fetched is farther in a straight line than the k-th nearest by spheroid metres among
# those fetched, no station not fetched can be nearer than that k-th. The two distances differ by about d^3 / 24R^2
# (28 m at 300 km, under a metre within 100 km), so `reach` stations nearly always settle it; when they do not (a
# crowd of stations at the k-th's distance), the second branch reads every station whose straight line is within the
# k-th's spheroid metres. Before (issue 21's first pass) the order was sphere metres, which differ from the spheroid's
# by up to 0.6%: around a far city a ring kilometres wide, all of it ranked (rural p99 33.5 ms, docs/performance.md).
_UNFILTERED_TEMPLATE = """
    WITH origin AS MATERIALIZED (
        SELECT ecef({point}) AS here
    ), near AS MATERIALIZED (
        SELECT id, geom, ecef(geom) <<->> (SELECT here FROM origin) AS chord
        FROM stations
        WHERE {where}
        ORDER BY ecef(geom) <<->> (SELECT here FROM origin)
        LIMIT {reach}
    ), ranked AS MATERIALIZED (
        SELECT id, chord, ST_Distance(geography(geom), geography({point})) AS metres
        FROM near
    ), kth AS MATERIALIZED (
        -- Any k stations bound the k-th nearest by spheroid metres from above: here, the k nearest fetched.
        SELECT metres FROM ranked ORDER BY metres OFFSET {k} - 1 LIMIT 1
    ), bound AS MATERIALIZED (
        SELECT (SELECT metres FROM kth) AS metres,
               count(*) < {reach} OR max(chord) > (SELECT metres FROM kth) + 0.01 AS complete
        FROM ranked
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
# The second branch: every live station whose straight line is within the k-th's spheroid metres (a superset of
# those within it by spheroid metres), read by the take-while KNN scan of migration 0026, which stops there. (The
# geography index's box around the circle, as `ST_DWithin` reads it, held whole cities outside the circle.) The 1 cm
# covers rounding in the two distances.
_FALLBACK_SCAN = ("SELECT id, metres FROM nearest_live_chord({lon}, {lat}, (SELECT metres + 0.01 FROM bound))"
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
REACH = 2
"""Stations the straight-line KNN fetches per station asked for."""
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
        sql = _UNFILTERED_TEMPLATE.format(where=where, point=_POINT, k=int(k), reach=REACH * int(k), columns=_COLUMNS,
                                      fallback=_FALLBACK_SCAN.format(lon="{lon}", lat="{lat}"))
    return Statement(sql=sql.format(**slot), parameters=names)


def timetable_key(hours: str, self_service_hours: str | None) -> str:
    """The key the open filter's SQL compares (`_TIMETABLE`): hours, U+001F, self-service hours or ''."""
    return f"{hours}\x1f{self_service_hours or ''}"
