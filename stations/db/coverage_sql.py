"""SQL of coverage: demand (lookups' cells and imported points) against stations within reach, by hour of the week.

`WITHIN_REACH` is the one place the SQL decides that a station serves a place: geodesic metres on the ellipsoid
(`ST_DWithin` on geography, which the stations' `geography(geom)` index serves). A road-network version replaces
this fragment (see `geo.walking`). A station is open at an hour when the Python side says so: each distinct
timetable's 168 hours come as a bit string (`services.coverage.weekly`), OR-ed over the stations within reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

WITHIN_REACH = "ST_DWithin(geography({station}), geography({place}), CAST(:reach_m AS float8))"

_DEMAND = """
    timetables AS (
        SELECT key, CAST(mask AS bit(168)) AS mask
        FROM unnest(CAST(:keys AS text[]), CAST(:masks AS text[])) AS t(key, mask)
    ),
    demand AS (
        SELECT 'c' || cell_row || ':' || cell_col AS place, geom, adcode, hour_of_week AS hour,
               CAST(sum(lookups) AS float8) AS weight, sum(open_m_sum) AS open_m_sum,
               CAST(sum(open_n) AS float8) AS open_n
        FROM demand_cells
        WHERE week >= :since AND (:region = '' OR adcode LIKE :region || '%')
          AND (CAST(:hour AS int) IS NULL OR hour_of_week = CAST(:hour AS int))
        GROUP BY cell_row, cell_col, geom, adcode, hour_of_week
        UNION ALL
        SELECT 'p' || p.id, p.geom, p.adcode, h.hour, p.weight, 0, 0
        FROM demand_points AS p
        CROSS JOIN generate_series(0, 167) AS h(hour)
        WHERE (:region = '' OR p.adcode LIKE :region || '%')
          AND (CAST(:hour AS int) IS NULL OR h.hour = CAST(:hour AS int))
    ),
    places AS (SELECT DISTINCT ON (place) place, geom FROM demand),
    reach AS (
        SELECT pl.place, bit_or(coalesce(t.mask, CAST(repeat('0', 168) AS bit(168)))) AS open_mask
        FROM places AS pl
        JOIN stations AS s ON s.deleted_at IS NULL AND s.status = 'active'
             AND """ + WITHIN_REACH.format(station="s.geom", place="pl.geom") + """
        LEFT JOIN timetables AS t ON t.key = s.hours || chr(31) || coalesce(s.self_service_hours, '')
        GROUP BY pl.place
    )
"""
_OPEN_AT_HOUR = "get_bit(r.open_mask, d.hour) = 1"

BY_REGION_HOUR = text(
    "WITH" + _DEMAND + """
    SELECT left(coalesce(d.adcode, ''), CAST(:length AS int)) AS region, d.hour, sum(d.weight) AS demand,
           coalesce(sum(d.weight) FILTER (WHERE r.place IS NOT NULL), 0) AS near,
           coalesce(sum(d.weight) FILTER (WHERE """ + _OPEN_AT_HOUR + """), 0) AS near_open
    FROM demand AS d LEFT JOIN reach AS r USING (place)
    GROUP BY 1, 2
    """
)
"""Demand, demand near an active station and near one open at its hour, by region (adcode prefix) and hour."""

GAPS = text(
    "WITH" + _DEMAND + """,
    judged AS (
        SELECT d.place, min(d.adcode) AS adcode, ST_X(d.geom) AS lon, ST_Y(d.geom) AS lat, sum(d.weight) AS demand,
               coalesce(sum(d.weight) FILTER (WHERE r.open_mask IS NULL OR NOT """ + _OPEN_AT_HOUR + """), 0)
                   AS unmet,
               bool_or(r.place IS NOT NULL) AS near_station,
               sum(d.open_m_sum) / nullif(sum(d.open_n), 0) AS mean_open_m
        FROM demand AS d LEFT JOIN reach AS r USING (place)
        GROUP BY d.place, d.geom
    )
    SELECT place, adcode, lon, lat, demand, unmet, near_station, mean_open_m FROM judged
    WHERE unmet > 0
    ORDER BY unmet DESC, place
    LIMIT :limit
    """
)
"""Places with demand no open station within reach met (at its hour), the largest first, with the mean distance
riders there found to the nearest open result (lookups only; None where no result was open)."""

TIMETABLES = text(
    """
    SELECT DISTINCT hours, self_service_hours FROM stations
    WHERE deleted_at IS NULL AND status = 'active'
    """
)

STATIONS_IN_BOX = text(
    """
    SELECT id, name, ST_X(geom) AS lon, ST_Y(geom) AS lat, status FROM stations
    WHERE deleted_at IS NULL AND status <> 'closed' AND adcode LIKE :region || '%'
    ORDER BY id
    LIMIT :limit
    """
)


def _params(*, since: date, region: str, hour: int | None, keys: Sequence[str], masks: Sequence[str],
            reach_m: float) -> dict[str, Any]:
    return {"since": since, "region": region, "hour": hour, "keys": list(keys), "masks": list(masks),
            "reach_m": reach_m}


def by_region_hour(*, session: Session, length: int, **filters: Any) -> list[tuple[str, int, float, float, float]]:
    """(region prefix of `length`, hour, demand, near a station, near an open one) rows."""
    rows = session.execute(BY_REGION_HOUR, _params(**filters) | {"length": length})
    return [(r.region, r.hour, float(r.demand), float(r.near), float(r.near_open)) for r in rows]


def gaps(*, session: Session, limit: int, **filters: Any) -> list[Any]:
    """Places of unmet demand (place, adcode, lon, lat, demand, unmet, near_station, mean_open_m), largest first."""
    return list(session.execute(GAPS, _params(**filters) | {"limit": limit}))


def timetables(*, session: Session) -> list[tuple[str, str | None]]:
    """The distinct (hours, self-service hours) of active stations."""
    return [(r.hours, r.self_service_hours) for r in session.execute(TIMETABLES)]


def stations(*, session: Session, region: str, limit: int) -> list[Any]:
    """Live stations of a region (id, name, lon, lat, status) for the gap map's circles."""
    return list(session.execute(STATIONS_IN_BOX, {"region": region, "limit": limit}))
