"""The nearest lookup's read pool: asyncpg connections that only run prepared, read-only statements.

asyncpg rather than psycopg here alone: a prepared nearest query costs the client less CPU through asyncpg than
through psycopg's async cursor (docs/performance.md). Every other path keeps psycopg and SQLAlchemy.

A small pool of our own rather than `asyncpg.Pool`: even with a no-op reset, its acquire/release (a shielded
release task, an inactivity timer per checkout) costs CPU on every query. These connections hold no session state
to reset, so checkout is a semaphore and a list pop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import asyncpg

STATEMENT_TIMEOUT_MS = 5_000
"""A lookup's ceiling in PostgreSQL: they take milliseconds; one that runs this long is cancelled (and answered 503)
instead of holding a connection and a core that the lookups queued behind it need."""

PLANNER_SETTINGS = {"jit": "off", "plan_cache_mode": "force_generic_plan"}
"""How the lookups are planned. JIT off: a cached generic plan's cost estimate crosses jit_above_cost, and compiling
costs more than the lookup. Generic plans always: left to choose, PostgreSQL plans the unfiltered lookup afresh on
every call at 1M stations (its generic plan costs a hair more than the custom one), and planning is about as long
as executing. Every statement shape's generic plan is driven by the spatial indexes (tests/db/test_nearest_async.py;
the figures are in docs/performance.md)."""

PAGE_PLANNER_SETTINGS = {"jit": "off"}
"""How station pages and OGC items are planned (`ReadRoute.rows`): as PostgreSQL chooses, custom plans first. Their
statements take optional filters (`$1 IS NULL OR geom && ...`), whose generic plan cannot use the index of the
filter given: an OGC page in a small bbox at 100k took 143 ms with the generic plan, 1.9 ms with a custom one."""

SERVER_SETTINGS = {"application_name": "stations-reads", "client_connection_check_interval": "1s"}
"""`client_connection_check_interval`: a query whose connection was dropped (the rider hung up, the pool terminated
it) stops within a second instead of running to its end."""


class ReadPool:
    """At most `size` connections, reused last-in first-out; waiters queue on a semaphore.

    Connections open on demand, or ahead of time with `warm()`: a new connection's first lookup (connecting,
    loading PostGIS into the backend, planning) is far slower than a lookup, which should not wait for it.
    """

    def __init__(self, dsn: str, *, size: int, statement_timeout_ms: int = STATEMENT_TIMEOUT_MS,
                 connect_timeout: float = 60.0, planner: Mapping[str, str] = PLANNER_SETTINGS,
                 name: str = "stations-reads") -> None:
        self.dsn, self.size, self.connect_timeout = dsn, size, connect_timeout
        self.server_settings = {**planner, **SERVER_SETTINGS, "application_name": name,
                                "statement_timeout": str(statement_timeout_ms)}
        self._slots = asyncio.Semaphore(size)
        self._idle: list[asyncpg.Connection] = []
        self._opened = 0  # idle + in use: never more than `size`
        self._closed = False

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Run a prepared statement (cached per connection) and return its rows."""
        async with self._slots:
            connection = self._idle.pop() if self._idle else await self._connect()
            try:
                rows = await connection.fetch(sql, *args)
            except BaseException:  # an error or a cancellation mid-query leaves the connection's state unknown
                self._terminate(connection)
                raise
            if self._closed:
                self._terminate(connection)
            else:
                self._idle.append(connection)
            return rows

    async def warm(self, first_use: str = "SELECT postgis_lib_version()", *args: Any) -> None:
        """Open connections up to `size`, one at a time, each running `first_use` (with `args`) once: the app passes
        the statement most lookups run, so each connection has it prepared and planned before they come."""
        while not self._closed and self._opened < self.size:
            async with self._slots:
                if self._opened >= self.size:
                    return
                connection = await self._connect()
                try:
                    await connection.fetch(first_use, *args)
                except BaseException:
                    self._terminate(connection)
                    raise
                self._idle.append(connection)

    async def close(self) -> None:
        """Close the idle connections; those in use are closed when their query ends."""
        self._closed = True
        idle, self._idle = self._idle, []
        self._opened -= len(idle)
        await asyncio.gather(*(connection.close() for connection in idle), return_exceptions=True)

    async def _connect(self) -> asyncpg.Connection:
        if self._closed:
            raise RuntimeError("the read pool is closed")
        self._opened += 1
        try:
            return await asyncpg.connect(self.dsn, statement_cache_size=1024, server_settings=self.server_settings,
                                         timeout=self.connect_timeout)
        except BaseException:
            self._opened -= 1
            raise

    def _terminate(self, connection: asyncpg.Connection) -> None:
        self._opened -= 1
        connection.terminate()


def read_pool(url: str, *, size: int, connect_timeout: float = 60.0, pages: bool = False) -> ReadPool:
    """A pool of up to `size` connections on `url` for the nearest lookup (for station pages and OGC items with
    `pages`); nothing opens until it is used or warmed (an app whose database is down still starts, and /readyz says
    why)."""
    if pages:
        return ReadPool(libpq_url(url), size=size, connect_timeout=connect_timeout, planner=PAGE_PLANNER_SETTINGS,
                        name="stations-pages")
    return ReadPool(libpq_url(url), size=size, connect_timeout=connect_timeout)


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://`) as libpq and asyncpg spell it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
