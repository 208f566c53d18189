"""Engine and session factory for the configured or embedded database."""

from __future__ import annotations

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from stations.db.local import LocalCluster
from stations.settings import Settings


def database_url(settings: Settings, *, start_local: bool = True) -> str:
    """The configured URL, or the embedded cluster's (started first when `start_local`)."""
    if settings.database_url:
        return settings.database_url
    cluster = LocalCluster.from_settings(settings)
    return cluster.up() if start_local else cluster.url()


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine with a fixed pool that checks connections before use; requests beyond it wait for one.

    No overflow: overflow connections are closed on return, so steady concurrency above `pool_size` opened and
    authenticated a new connection per request (and lost its prepared statements); measured in bench/.
    """
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


READ_POOL_FACTOR = 4
"""Read-pool connections per `pool_size`: async requests in flight outnumber the sync ones, and a request
waiting for a pooled connection is woken only after the callbacks queued before it, so a small pool left
connections idle while requests queued (bench, c=32, 2 workers: 447 req/s with 5 connections, 887 with 16)."""


async def open_read_pool(url: str, *, size: int) -> AsyncConnectionPool[AsyncConnection]:
    """An async psycopg pool of up to `READ_POOL_FACTOR * size` autocommit connections for hot read paths.

    Connections open on demand, like the engine's: an app whose database is down still starts (readyz says so).
    JIT is off: a cached generic plan's cost estimate crossed jit_above_cost and compiling took 10-60 ms a query.
    """

    async def configure(connection: AsyncConnection) -> None:
        connection.prepare_threshold = 0

    pool: AsyncConnectionPool[AsyncConnection] = AsyncConnectionPool(
        url.replace("postgresql+psycopg://", "postgresql://", 1), min_size=1, max_size=READ_POOL_FACTOR * size,
        open=False, kwargs={"autocommit": True, "options": "-c jit=off"}, configure=configure, name="reads",
    )
    await pool.open(wait=False)
    return pool
