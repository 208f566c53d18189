"""The nearest lookup as the app holds it: the reads it runs on and the caches it keeps, from query string to reply."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson

from stations.hours import HolidayCalendar
from stations.nearest import alert_rank, params, search
from stations.nearest.caches import NearestCaches
from stations.nearest.demand import DemandSink
from stations.nearest.query import Nearby, NearestQuery
from stations.nearest.reply import feature_collection

WARMING_POINT = (116.3913, 39.9075)
"""Where `warming` looks (Tiananmen; any point in China would do)."""


class Nearest:
    """The one entry to nearest lookups: `app.state.nearest`, built in the app's lifespan on its read pool."""

    def __init__(self, reads: search.Reads, caches: NearestCaches | None = None,
                 demand: DemandSink | None = None) -> None:
        self.reads = reads
        self.caches = caches or NearestCaches()
        self.demand = demand

    async def find(self, query: NearestQuery) -> list[Nearby]:
        """The `limit` nearest matching stations (or sites), exactly ranked by spheroid metres."""
        results = await search.search(reads=self.reads, query=query, caches=self.caches)
        snapshot = await self.caches.alerts.snapshot(self.reads, query.at)  # issue 24: from memory, reloaded rarely
        return alert_rank.rank(results, query=query, snapshot=snapshot, caches=self.caches)

    async def answer(self, query_string: str, *, now: datetime, calendar: HolidayCalendar) -> bytes:
        """The reply body of one lookup (GeoJSON); raises `InvalidInput` for input a person must fix."""
        request = params.parse(query_string, now=now, calendar=calendar)
        results = await self.find(request.query)
        if self.demand is not None:  # issue 23: counted in memory, written off the request
            self.demand.note(request.query, results)
        return orjson.dumps(feature_collection(results, query=request.query, caches=self.caches, lang=request.lang,
                                               out_crs=request.out_crs))

    def warming(self, *, now: datetime, calendar: HolidayCalendar) -> tuple[str, list[Any]]:
        """The statement an unfiltered lookup of the default limit runs first (most lookups), at `WARMING_POINT`:
        the read pool runs it once on each new connection, so preparing and planning it is not a rider's wait."""
        query = NearestQuery(lon=WARMING_POINT[0], lat=WARMING_POINT[1], at=now, calendar=calendar)
        return search.first_statement(query, self.caches)
