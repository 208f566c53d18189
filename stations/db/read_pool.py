"""The nearest lookup's async read pool: asyncpg connections that only run prepared, read-only statements.

asyncpg rather than psycopg here alone: on this 2-core machine a prepared nearest query cost the client 0.18 ms
of CPU through psycopg's async cursor against 0.12 ms through asyncpg (0.16 against 0.06 for `SELECT $1`),
a fifth of the whole request budget. Every other path keeps psycopg and SQLAlchemy.
"""

from __future__ import annotations

import asyncpg

READ_POOL_FACTOR = 4
"""Read-pool connections per `pool_size`: async requests in flight outnumber the sync ones, and a request
waiting for a pooled connection is woken only after the callbacks queued before it, so a small pool left
connections idle while requests queued (bench, c=32, 2 workers: 447 req/s with 5 connections, 887 with 16)."""

ReadPool = asyncpg.Pool
"""The pool type, for annotations."""


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Nothing to reset on release: these connections never change session state (saves a round trip)."""


async def open_read_pool(url: str, *, size: int) -> ReadPool:
    """A pool of up to `READ_POOL_FACTOR * size` connections, opened on demand (an app whose database is down
    still starts and /readyz says why). JIT is off: a cached generic plan's cost estimate crossed
    jit_above_cost and compiling took 10-60 ms a query."""
    pool: ReadPool = asyncpg.create_pool(
        libpq_url(url), min_size=0, max_size=READ_POOL_FACTOR * size, reset=_keep_session,
        statement_cache_size=1024, max_queries=10_000_000,
        server_settings={"jit": "off", "application_name": "stations-reads"},
    )
    await pool
    return pool


def libpq_url(url: str) -> str:
    """A SQLAlchemy URL (`postgresql+psycopg://`) as libpq and asyncpg spell it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)
