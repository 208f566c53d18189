"""Demand from lookups, counted in memory per process and written in batches off the request.

A lookup adds one to its (cell, hour of the week) tally: the grid cell of about 500 m holding the asked point
(`geo.grid`), the hour in Beijing time it asks about, whether an open station was within reach among its results
and how far the nearest open one was. Nothing else is kept: no coordinate, no address, no identifier. The tallies
are swapped out on the event loop and written by a thread with a session of its own (`flush`), every
`demand_flush_seconds`; weeks older than the retention limit are deleted on the way. At most `max_cells` tallies
wait in memory: lookups in further cells before the next flush are counted as dropped, not stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from stations import divisions
from stations.db import demand_queries as queries
from stations.geo.grid import cell_centre, cell_of
from stations.geo.walking import REACH_M
from stations.hours import SHANGHAI
from stations.nearest.query import Nearby, NearestQuery

log = logging.getLogger(__name__)
Key = tuple[int, int, int]
"""(cell row, cell column, hour of the week from Monday 00:00)."""


@lru_cache(maxsize=65_536)
def _county(row: int, col: int) -> str | None:
    """The county-level division holding a cell's centre (cached: cells repeat)."""
    return divisions.locate(*cell_centre(row, col))


def week_of(day: date) -> date:
    """The Monday of `day`'s week: the unit retention deletes."""
    return day - timedelta(days=day.weekday())


class DemandRecorder:
    """The per-process tallies of lookups by (cell, hour of the week); `note` on the request, `flush` off it."""

    def __init__(self, *, clock: Callable[[], datetime], retention_days: int, max_cells: int = 100_000) -> None:
        self.clock, self.retention_days, self.max_cells = clock, retention_days, max_cells
        self.tallies: dict[Key, list[Any]] = {}
        self.dropped = 0

    def note(self, query: NearestQuery, results: Sequence[Nearby]) -> None:
        """Count one lookup: its cell and hour, and the nearest result open at the asked time (if any). Never
        raises: a count that cannot be made is dropped, the rider's answer is not."""
        try:
            self._count(query, results)
        except Exception:  # statistics must never fail a lookup
            self.dropped += 1

    def _count(self, query: NearestQuery, results: Sequence[Nearby]) -> None:
        at = query.at.astimezone(SHANGHAI)
        key = (*cell_of(query.lon, query.lat), at.weekday() * 24 + at.hour)
        tally = self.tallies.get(key)
        if tally is None:
            if len(self.tallies) >= self.max_cells:
                self.dropped += 1
                return
            tally = self.tallies[key] = [0, 0, 0.0, 0]
        tally[0] += 1
        for item in results:  # ranked by distance: the first open one is the nearest open
            if item.opening.open:
                tally[1] += item.distance_m <= REACH_M
                tally[2] += item.distance_m
                tally[3] += 1
                break

    def take(self) -> dict[Key, list[Any]]:
        """The tallies so far, handed over; counting starts again (call on the event loop that runs `note`)."""
        taken, self.tallies = self.tallies, {}
        return taken

    def put_back(self, tallies: dict[Key, list[Any]]) -> None:
        """Tallies a failed write could not store, added back (within `max_cells`) for the next flush."""
        for key, (lookups, served, metres, n) in tallies.items():
            tally = self.tallies.get(key)
            if tally is None and len(self.tallies) >= self.max_cells:
                self.dropped += lookups
                continue
            tally = tally or self.tallies.setdefault(key, [0, 0, 0.0, 0])
            tally[0] += lookups
            tally[1] += served
            tally[2] += metres
            tally[3] += n

    def write(self, tallies: dict[Key, list[Any]], *, session: Session) -> int:
        """Add `tallies` to this week's rows and delete the weeks past retention; how many rows were added to."""
        today = self.clock().astimezone(SHANGHAI).date()
        queries.add_cells(session=session, rows=rows(tallies, week=week_of(today)))
        queries.prune(session=session, oldest=week_of(today - timedelta(days=self.retention_days)))
        return len(tallies)

    def flush_into(self, *, session: Session) -> int:
        """Take the tallies and write them in `session` (tests and the final flush); how many rows."""
        return self.write(self.take(), session=session)

    async def flush(self, sessions: sessionmaker[Session]) -> int:
        """Take the tallies on the loop and write them in a thread with a session of its own; on failure they wait
        for the next flush."""
        tallies = self.take()
        if not tallies:
            return 0
        try:
            return await asyncio.to_thread(self._write_committed, tallies, sessions)
        except Exception as exc:  # the primary may be down or failing over: counts wait, requests never do
            log.warning("demand_not_written", extra={"detail": str(exc), "cells": len(tallies)})
            self.put_back(tallies)
            return 0

    def _write_committed(self, tallies: dict[Key, list[Any]], sessions: sessionmaker[Session]) -> int:
        with sessions() as session, session.begin():
            return self.write(tallies, session=session)

    async def run(self, sessions: sessionmaker[Session], *, every: float) -> None:
        """`flush` every `every` seconds for as long as the app runs."""
        while True:
            await asyncio.sleep(every)
            await self.flush(sessions)


def rows(tallies: dict[Key, list[Any]], *, week: date) -> list[dict[str, Any]]:
    """The tallies as rows of `demand_cells`: the cell's centre and county, never a rider's point."""
    out = []
    for (row, col, hour), (lookups, served, metres, n) in tallies.items():
        lon, lat = cell_centre(row, col)
        out.append({"week": week, "row": row, "col": col, "hour": hour, "adcode": _county(row, col), "lon": lon,
                    "lat": lat, "lookups": lookups, "served": served, "open_m_sum": metres, "open_n": n})
    return out
