"""Where riders' reads go: streaming replicas that answer and keep up, else the primary, else whatever answers.

`ReadRoute` holds one `Source` per replica (STATIONS_READ_DATABASE_URLS) and one for the primary. Each source has an
asyncpg pool for the nearest lookup, one for single statements (`rows`: station pages, OGC items, the feed, API
keys) and read-only SQLAlchemy sessions (viewport, tiles, the OGC collection, exports). A request tries the sources
in `order()`: replicas that are up, taken in turn; the primary; replicas lagging past
STATIONS_REPLICA_MAX_LAG_SECONDS; the primary again if it is known to be down; replicas that were down (they may be
back). A source that cannot be reached is marked down on the spot and the next one is tried, so a replica going away
costs no rider a failed lookup; `watch()` re-checks every source every STATIONS_REPLICA_CHECK_SECONDS
(`replica_lag`). With the primary down, replicas still answer.

With no replicas configured the primary is the one source, as before.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ClauseElement

from stations.db.engine import make_engine
from stations.db.errors import sqlstate, unreachable
from stations.db.read_pool import ReadPool, libpq_url, read_pool
from stations.db.replica_lag import PRIMARY_POSITION, REPLICA_POSITION, LagMeter
from stations.db.statements import compiled

log = logging.getLogger(__name__)
RECOVERY_CONFLICT = "40001"
"""What a replica answers when replaying the primary's changes cancelled a query (a vacuumed row it still read):
worth asking the next source, not a reason to call the replica down."""
RANK = {("replica", "up"): 0, ("primary", "up"): 1, ("replica", "lagging"): 2, ("primary", "down"): 3,
        ("replica", "down"): 4}


@dataclass(eq=False)
class Source:
    """One server reads may go to, and what this process last learnt about it."""

    name: str  # "primary", "replica 1": never the host (readyz shows it)
    role: str  # "primary" or "replica"
    reads: ReadPool
    pages: ReadPool
    sessions: sessionmaker[Session]
    probe: ReadPool = field(repr=False)
    owns_engine: Engine | None = field(default=None, repr=False)
    state: str = "up"  # up (or not checked yet), lagging, down
    lag_s: float | None = None

    def mark(self, state: str, *, lag_s: float | None = None, reason: str = "") -> None:
        """Record the source's state, logging each change."""
        if state != self.state:
            log.warning("read_source_" + state, extra={"source": self.name, "lag_s": lag_s, "detail": reason[:300]})
        self.state, self.lag_s = state, lag_s


def page_pool_size(read_pool_size: int) -> int:
    """Connections per source for station pages, OGC items and the feed: half the nearest lookup's (they are a
    fraction of its traffic, and every connection counts against the server's max_connections)."""
    return max(2, read_pool_size // 2)


class ReadRoute:
    """The sources of this process's reads, their order, and failing over between them."""

    def __init__(self, primary: Source, replicas: list[Source], *, max_lag: float) -> None:
        self.primary, self.replicas, self.max_lag = primary, replicas, max_lag
        self.meter = LagMeter(window=max_lag * 2)
        self._turn = itertools.count()

    @classmethod
    def build(cls, *, primary_engine: Engine, replica_urls: tuple[str, ...], pool_size: int, read_pool_size: int,
              max_lag: float, connect_timeout: int) -> ReadRoute:
        """The route of an app process: the primary's engine (the app's own) and an engine per replica."""
        def source(name: str, role: str, engine: Engine, owned: bool) -> Source:
            url = engine.url.render_as_string(hide_password=False)
            return Source(
                name=name, role=role, reads=read_pool(url, size=read_pool_size, connect_timeout=connect_timeout),
                pages=read_pool(url, size=page_pool_size(read_pool_size), connect_timeout=connect_timeout, pages=True),
                sessions=sessionmaker(bind=engine.execution_options(postgresql_readonly=True), expire_on_commit=False),
                probe=ReadPool(libpq_url(url), size=1, statement_timeout_ms=connect_timeout * 1000,
                               connect_timeout=connect_timeout),
                owns_engine=engine if owned else None)

        replicas = [source(f"replica {n}", "replica",
                           make_engine(url, pool_size=pool_size, connect_timeout=connect_timeout), True)
                    for n, url in enumerate(replica_urls, start=1)]
        return cls(source("primary", "primary", primary_engine, False), replicas, max_lag=max_lag)

    def order(self, *, primary_first: bool = False) -> list[Source]:
        """The sources to try, best first (see the module's docstring); `primary_first` for read-your-writes."""
        turn = next(self._turn)
        rotated = self.replicas[turn % len(self.replicas):] + self.replicas[:turn % len(self.replicas)] \
            if self.replicas else []
        ranked = sorted([self.primary, *rotated], key=lambda s: RANK.get((s.role, s.state), 4))
        if primary_first:
            ranked.remove(self.primary)
            ranked.insert(0, self.primary)
        return ranked

    async def fetch(self, sql: str, *args: Any, pages: bool = False, primary_first: bool = False
                    ) -> list[asyncpg.Record]:
        """Rows of a prepared statement from the first source that answers (the nearest lookup's `Reads`), on the
        sources' page pools with `pages`."""
        failure: BaseException | None = None
        for source in self.order(primary_first=primary_first):
            try:
                return await (source.pages if pages else source.reads).fetch(sql, *args)
            except Exception as exc:
                if unreachable(exc):
                    self._down(source, exc)
                elif sqlstate(exc) != RECOVERY_CONFLICT:
                    raise
                failure = exc
        assert failure is not None
        raise failure

    async def rows(self, statement: ClauseElement, params: Mapping[str, Any], *,
                   primary_first: bool = False) -> list[asyncpg.Record]:
        """Rows of a SQLAlchemy statement (`db.statements`) from the first source that answers, on its page pool."""
        prepared = compiled(statement)
        return await self.fetch(prepared.sql, *prepared.arguments(params), pages=True, primary_first=primary_first)

    @contextmanager
    def session(self, *, primary_first: bool = False) -> Iterator[Session]:
        """A read-only session on the first source whose connection opens; it is closed (rolled back) afterwards."""
        failure: BaseException | None = None
        for source in self.order(primary_first=primary_first):
            session = source.sessions()
            try:
                session.connection()  # checked out now (pre-pinged): a source that is down is passed over here
            except Exception as exc:
                session.close()
                if not unreachable(exc):
                    raise
                self._down(source, exc)
                failure = exc
                continue
            with session:
                yield session
            return
        assert failure is not None
        raise failure

    def _down(self, source: Source, exc: BaseException) -> None:
        """Pass `source` over until `watch` finds it back (with no replicas nothing watches, and the primary is the
        one source whatever its state: it is not marked)."""
        if self.replicas:
            source.mark("down", reason=repr(exc))

    async def warm(self, first_use: str, *args: Any) -> None:
        """Open the nearest lookup's connections on the replicas (on the primary when there are none), then their
        page pools': the first station page after a start would otherwise wait for a connection to open and load
        PostGIS (~20 ms)."""
        for source in self.replicas or [self.primary]:
            try:
                await source.reads.warm(first_use, *args)
                await source.pages.warm()
            except Exception as exc:  # down or starting: its connections open on demand, `watch` says when it is back
                log.warning("read_pool_not_warmed", extra={"source": source.name, "detail": str(exc)})

    async def check(self) -> None:
        """One round: the primary's WAL position, then each replica's, and their states from them."""
        try:
            position = (await self.primary.probe.fetch(PRIMARY_POSITION))[0]["position"]
            self.meter.primary_at(int(position), now=time.monotonic())
            self.primary.mark("up")
        except Exception as exc:
            self.primary.mark("down", reason=repr(exc))
        await asyncio.gather(*(self._check(replica) for replica in self.replicas))

    async def _check(self, replica: Source) -> None:
        try:
            row = (await replica.probe.fetch(REPLICA_POSITION))[0]
        except Exception as exc:
            replica.mark("down", reason=repr(exc))
            return
        lag = self.meter.lag(int(row["position"]), now=time.monotonic(), replay_behind_s=float(row["replay_behind_s"]))
        replica.mark("lagging" if lag > self.max_lag else "up", lag_s=round(lag, 3))

    async def watch(self, *, every: float) -> None:
        """Check every `every` seconds for as long as the app runs."""
        while True:
            await self.check()
            await asyncio.sleep(every)

    def status(self) -> dict[str, Any]:
        """The last known state of the primary and of each replica, in order (no host names)."""
        return {"primary": self.primary.state,
                "replicas": [{"state": r.state, "lag_s": r.lag_s} for r in self.replicas]}

    async def close(self) -> None:
        """Close every pool and the replicas' engines (the primary's engine is the app's to dispose of)."""
        for source in (self.primary, *self.replicas):
            await source.reads.close()
            await source.pages.close()
            await source.probe.close()
            if source.owns_engine is not None:
                source.owns_engine.dispose()
