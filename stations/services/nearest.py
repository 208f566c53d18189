"""Nearest lookup: stations ranked by true ground distance, filtered by kind, amenities and opening."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol, cast

import psycopg
from psycopg.rows import dict_row
from sqlalchemy.orm import Session

from stations.db import queries
from stations.errors import InvalidInput
from stations.geo.crs import Crs, to_wgs84
from stations.geo.geodesy import circle_box
from stations.geo.validation import validate_lonlat
from stations.hours import SHANGHAI, HolidayCalendar, package_calendar
from stations.reference import AMENITIES, Kind, all_amenity_codes
from stations.services import timetables
from stations.services.opening import Opening, opening, remember, states_at

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_RADIUS_M = 200_000.0
MAX_CANDIDATES = 3_200
"""Over-fetch ceiling when filtering by opening or grouping by site (the search then says so)."""


class Row(Protocol):
    """A result row read by column name: a dict (psycopg) or an asyncpg Record."""

    def __getitem__(self, key: str, /) -> Any: ...


@dataclass(frozen=True)
class NearestQuery:
    """A validated lookup in WGS-84."""

    lon: float
    lat: float
    at: datetime
    kinds: tuple[Kind, ...] = ()
    amenities: tuple[str, ...] = ()
    open_only: bool = False
    radius_m: float | None = None
    limit: int = DEFAULT_LIMIT
    group_by_site: bool = False
    calendar: HolidayCalendar = field(default_factory=package_calendar)
    """The holiday calendar `at` is judged by: the registry's in the app."""


@dataclass(slots=True)
class Nearby:
    """One result: the station's row, its distance in metres and its opening at the asked time."""

    row: Row
    distance_m: float
    opening: Opening
    colocated: list[Row] = field(default_factory=list)


def make_query(
    *, lon: float, lat: float, crs: Crs, at: datetime, kinds: Sequence[Kind] = (), amenities: Sequence[str] = (),
    open_only: bool = False, radius_m: float | None = None, limit: int = DEFAULT_LIMIT, group_by_site: bool = False,
    calendar: HolidayCalendar | None = None,
) -> NearestQuery:
    """Validate raw inputs (coordinates in `crs`, amenity codes or labels, bounds) into a NearestQuery."""
    lon, lat = validate_lonlat(lon, lat, crs=crs)
    wlon, wlat = to_wgs84(lon, lat, crs)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if radius_m is not None and not 1 <= radius_m <= MAX_RADIUS_M:
        raise InvalidInput(f"radius_m must be between 1 and {MAX_RADIUS_M:.0f} metres, got {radius_m}")
    at = at if at.tzinfo else at.replace(tzinfo=SHANGHAI)
    return NearestQuery(
        lon=wlon, lat=wlat, at=at,
        kinds=tuple(dict.fromkeys(kinds)), amenities=amenity_codes(amenities),
        open_only=open_only, radius_m=radius_m, limit=limit, group_by_site=group_by_site,
        calendar=calendar or package_calendar(),
    )


def amenity_codes(given: Sequence[str]) -> tuple[str, ...]:
    """Codes for amenity codes or Chinese/English labels; InvalidInput lists the valid codes."""
    labels = _amenity_labels()
    codes = []
    for item in given:
        code = item if item in all_amenity_codes() else labels.get(item) or labels.get(item.casefold())
        if code is None:
            raise InvalidInput(f"unknown amenity {item!r}; valid amenities: {', '.join(sorted(all_amenity_codes()))}")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


@cache
def _amenity_labels() -> dict[str, str]:
    """Amenity code by Chinese label and by case-folded English label."""
    labels = {t.zh: t.code for terms in AMENITIES.values() for t in terms}
    return labels | {t.en.casefold(): t.code for terms in AMENITIES.values() for t in terms}


def nearest(*, session: Session, query: NearestQuery) -> list[Nearby]:
    """The `limit` nearest matching stations (or sites), exactly ranked by spheroid metres (psycopg: the test
    session's transaction; the HTTP hot path is `nearest_async`, the same search on asyncpg)."""
    driver = cast(psycopg.Connection[Any], session.connection().connection.driver_connection)
    search = _search(query)
    fetch, params = next(search)
    while True:
        with driver.cursor(row_factory=dict_row) as cursor:
            sql = queries.nearest_psycopg(**_shape(query), k=fetch)
            rows = cursor.execute(sql, params, prepare=True).fetchall()
        try:
            fetch, params = search.send(rows)
        except StopIteration as done:
            return cast(list[Nearby], done.value)


class Reads(Protocol):
    """Where the hot path reads: the app's `ReadPool`, or one asyncpg connection (tests)."""

    async def fetch(self, query: str, *args: Any) -> list[Any]: ...


async def nearest_async(*, reads: Reads, query: NearestQuery) -> list[Nearby]:
    """`nearest` through asyncpg (the HTTP hot path): the same SQL, search and answer."""
    search = _search(query)
    fetch, params = next(search)
    while True:
        rows = await reads.fetch(*_asyncpg_statement(query, k=fetch, params=params))
        try:
            fetch, params = search.send(rows)
        except StopIteration as done:
            return cast(list[Nearby], done.value)


WARMING_POINT = (116.3913, 39.9075)
"""Where `warming_statement` looks (Tiananmen; any point in China would do)."""


def warming_statement() -> tuple[Any, ...]:
    """The statement an unfiltered lookup of the default limit runs (most lookups), with its parameters at
    `WARMING_POINT`. The read pool runs it once on each new connection, so that its first run there (preparing and
    planning it: 43-45 ms at 1M stations, against 2 ms after) is not a rider's lookup."""
    return first_statement(NearestQuery(lon=WARMING_POINT[0], lat=WARMING_POINT[1], at=datetime.now(SHANGHAI)))


def first_statement(query: NearestQuery) -> tuple[Any, ...]:
    """The asyncpg statement and arguments `nearest_async` sends first for `query` (benchmarks replay it)."""
    return _asyncpg_statement(query, k=_first_fetch(query), params=_params(query))


def _asyncpg_statement(query: NearestQuery, *, k: int, params: dict[str, Any]) -> tuple[Any, ...]:
    """The statement of `query`'s shape for `k` candidates, then `params` in `queries.NEAREST_PARAMETERS` order."""
    in_order = [params[name] for name in queries.NEAREST_PARAMETERS if name in params]
    return queries.nearest_asyncpg(**_shape(query), k=k), *in_order


def _search(query: NearestQuery) -> Generator[tuple[int, dict[str, Any]], Sequence[Row], list[Nearby]]:
    """The search, apart from how rows are read: yields how many candidates to fetch next and the statement's
    parameters by name, is sent those rows, returns the results. Fetches grow 4x until the limit is filled,
    candidates run out or the ceiling is hit; an open filter's timetables are handed over afresh each round, as
    the last round's rows may have taught new ones."""
    fetch, params = _first_fetch(query), _params(query)
    while True:
        rows = yield fetch, params
        results = _select(rows, query=query)
        if _enough(query, rows=rows, results=results, fetch=fetch):
            return results[: query.limit]
        fetch = min(fetch * 4, MAX_CANDIDATES)
        if query.open_only:
            params = params | _timetable_params(query)


def _first_fetch(query: NearestQuery) -> int:
    """Candidates to rank first: `limit`, or 4x when site grouping may fold some away. An open filter fetches just
    `limit` once the SQL knows the timetables (it then returns open stations only), else 4x for Python to sift."""
    sifting = query.group_by_site or (query.open_only and not timetables.learned())
    return query.limit * 4 if sifting else query.limit


def _enough(query: NearestQuery, *, rows: Sequence[object], results: Sequence[object], fetch: int) -> bool:
    """True when the results fill the limit, or no more candidates exist, or the over-fetch ceiling is hit."""
    return len(results) >= query.limit or len(rows) < fetch or fetch >= MAX_CANDIDATES


def _shape(query: NearestQuery) -> dict[str, bool]:
    """Which filters this lookup's statement carries (`queries.nearest_psycopg` / `nearest_asyncpg` arguments)."""
    return {"kinds": bool(query.kinds), "amenities": bool(query.amenities), "radius": query.radius_m is not None,
            "open_": query.open_only}


def _params(query: NearestQuery) -> dict[str, Any]:
    """Parameters of the statement of `_shape(query)` by name (`queries.NEAREST_PARAMETERS` orders them for
    asyncpg)."""
    params: dict[str, Any] = {"lon": query.lon, "lat": query.lat}
    if query.kinds:
        params["kinds"] = [kind.value for kind in query.kinds]
    if query.amenities:
        params["amenities"] = list(query.amenities)
    if query.radius_m is not None:
        params["radius_m"] = query.radius_m
        params["west"], params["south"], params["east"], params["north"] = circle_box(query.lon, query.lat,
                                                                                      query.radius_m)
    return params | _timetable_params(query) if query.open_only else params


def _timetable_params(query: NearestQuery) -> dict[str, list[str]]:
    """The open filter's parameters: keys of the known timetables open at the asked minute, and of all known."""
    open_keys, known_keys = timetables.split(query.at, query.calendar)
    return {"open_timetables": open_keys, "known_timetables": known_keys}


def _select(rows: Sequence[Row], *, query: NearestQuery) -> list[Nearby]:
    """Apply the opening filter and site grouping to exactly ranked rows, keeping their order."""
    results: list[Nearby] = []
    by_site: dict[int, Nearby] = {}
    states = states_at(query.at, query.calendar)  # rows share a few timetables: each is evaluated once a minute
    for row in rows:
        timetable = (row["status"], row["hours"], row["self_service_hours"])
        state = states.get(timetable)
        if state is None:
            state = opening(status=timetable[0], hours=timetable[1], self_service_hours=timetable[2], at=query.at,
                            calendar=query.calendar)
            remember(states, timetable, state)
        timetables.learn(timetable[1], timetable[2])
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
