"""The search: exact nearest stations from a few rounds of the nearest statement, filtered and grouped.

Each round fetches `k` candidates ranked by true ground distance (`db.nearest_sql`); the opening filter and site
grouping then fold some away, so rounds grow 4x until the limit is filled, candidates run out or
`MAX_CANDIDATES` is reached. An open filter hands the SQL the keys of the timetables known to be open (refreshed
each round: the last round's rows may have taught new ones), so most closed stations never leave PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from stations.db.nearest_sql import Shape
from stations.geo.geodesy import circle_box
from stations.nearest.caches import NearestCaches
from stations.nearest.query import MAX_CANDIDATES, Nearby, NearestQuery, Row


class Reads(Protocol):
    """Where lookups read: the app's `db.read_pool.ReadPool` (asyncpg), or one asyncpg connection."""

    async def fetch(self, query: str, *args: Any) -> list[Any]: ...


async def search(*, reads: Reads, query: NearestQuery, caches: NearestCaches) -> list[Nearby]:
    """The `limit` nearest matching stations (or sites), exactly ranked by spheroid metres."""
    fetch, params = first_fetch(query, caches), parameters(query, caches)
    while True:
        statement = caches.statement(shape(query), fetch)
        rows = await reads.fetch(statement.sql, *statement.arguments(params))
        results = sift(rows, query=query, caches=caches)
        if len(results) >= query.limit or len(rows) < fetch or fetch >= MAX_CANDIDATES:
            return results[: query.limit]
        fetch = min(fetch * 4, MAX_CANDIDATES)
        if query.open_only:
            params = params | _timetables(query, caches)


def first_statement(query: NearestQuery, caches: NearestCaches) -> tuple[str, list[Any]]:
    """The SQL and arguments the search sends first for `query` (the read pool warms with it)."""
    statement = caches.statement(shape(query), first_fetch(query, caches))
    return statement.sql, statement.arguments(parameters(query, caches))


def first_fetch(query: NearestQuery, caches: NearestCaches) -> int:
    """Candidates to rank first: `limit`, or 4x when site grouping may fold some away. An open filter fetches just
    `limit` once the SQL knows the timetables (it then returns open stations only), else 4x for Python to sift."""
    sifting = query.group_by_site or (query.open_only and not caches.learned())
    return query.limit * 4 if sifting else query.limit


def shape(query: NearestQuery) -> Shape:
    """Which filters this lookup's statement carries."""
    return Shape(kinds=bool(query.kinds), amenities=bool(query.amenities), radius=query.radius_m is not None,
                 open_=query.open_only)


def parameters(query: NearestQuery, caches: NearestCaches) -> dict[str, Any]:
    """The statement's parameters by name."""
    params: dict[str, Any] = {"lon": query.lon, "lat": query.lat}
    if query.kinds:
        params["kinds"] = [kind.value for kind in query.kinds]
    if query.amenities:
        params["amenities"] = list(query.amenities)
    if query.radius_m is not None:
        params["radius_m"] = query.radius_m
        params["west"], params["south"], params["east"], params["north"] = circle_box(query.lon, query.lat,
                                                                                      query.radius_m)
    return params | _timetables(query, caches) if query.open_only else params


def _timetables(query: NearestQuery, caches: NearestCaches) -> dict[str, list[str]]:
    """The open filter's parameters: keys of the known timetables kept at the asked minute, and of all known."""
    open_keys, known_keys = caches.open_timetables(query.at, query.calendar)
    return {"open_timetables": open_keys, "known_timetables": known_keys}


def sift(rows: Sequence[Row], *, query: NearestQuery, caches: NearestCaches) -> list[Nearby]:
    """Apply the opening filter and site grouping to exactly ranked rows, keeping their order."""
    results: list[Nearby] = []
    by_site: dict[int, Nearby] = {}
    states = caches.states(query.at, query.calendar)  # rows share a few timetables: each evaluated once a minute
    for row in rows:
        timetable = (row["status"], row["hours"], row["self_service_hours"])
        state = states.get(timetable) or caches.opening(states, timetable, at=query.at, calendar=query.calendar)
        caches.learn(timetable[1], timetable[2])
        if query.open_only and not state.open_if_ordinary:
            continue
        site = row["site_id"]
        if query.group_by_site and site is not None and site in by_site:
            by_site[site].colocated.append(row)
            continue
        item = Nearby(row=row, distance_m=row["distance_m"], opening=state)
        results.append(item)
        if site is not None:
            by_site[site] = item
    return results
