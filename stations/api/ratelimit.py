"""Rate limits every app process shares: token buckets in PostgreSQL (worker reports per device, feed and export
requests per API key).

Each request is one statement in autocommit on a small pool of its own (`db.limit_queries.TAKE`): no transaction
around it, so a bucket's row is locked for that statement only, not for the request that asked; no pre-ping, so
it is one round trip. The buckets live on the primary (they are written on every request); with the primary down,
what they guard (feeds, exports, reports) cannot be served anyway.
"""

from __future__ import annotations

import logging
import math

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError

from stations.db import limit_queries as queries
from stations.errors import TooManyRequests

log = logging.getLogger(__name__)
POOL_SIZE = 2
"""A take is well under a millisecond of the server's time: two connections per process keep up with the rest."""


def limits_engine(url: str, *, connect_timeout: int) -> Engine:
    """The engine the limiter takes tokens through: autocommit, no pre-ping (a dropped connection is retried once)."""
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=0, pool_timeout=30, isolation_level="AUTOCOMMIT",
                         connect_args={"connect_timeout": connect_timeout, "application_name": "stations-limits"})


class RateLimiter:
    """Buckets of `capacity` tokens refilling at `per_second`, one token per request, under keys of `namespace`."""

    def __init__(self, engine: Engine, *, namespace: str) -> None:
        self.engine, self.namespace = engine, namespace

    def take(self, key: object, *, capacity: float, per_second: float) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until one is available."""
        name = f"{self.namespace}:{key}"
        for attempt in (1, 2):
            try:
                with self.engine.connect() as connection:
                    tokens, taken = queries.take(connection=connection, key=name, capacity=capacity,
                                                 per_second=per_second)
                break
            except DBAPIError as exc:  # a pooled connection the server dropped (a restart): once more on a new one
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        return 0.0 if taken else (1.0 - tokens) / per_second

    def hit(self, key: object, *, capacity: float, per_second: float, refused: str) -> None:
        """Spend one token or raise TooManyRequests ("<refused>: try again in N seconds", Retry-After)."""
        wait = self.take(key, capacity=capacity, per_second=per_second)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            raise TooManyRequests(f"{refused}: try again in {retry} seconds", retry_after=retry)


PRUNE_SECONDS = 600.0


def prune(engine: Engine) -> int:
    """Delete the buckets that have refilled (any process may; several at once do no harm); how many."""
    with engine.connect() as connection:
        return queries.prune(connection=connection)

