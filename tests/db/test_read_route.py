"""The read route on the test database: read-only sessions, the primary as the one source without replicas."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import InternalError, OperationalError

from stations.db.engine import make_engine
from stations.db.replicas import ReadRoute, page_pool_size
from tests.support import awaited, free_port


def route(engine: Engine, *replicas: str) -> ReadRoute:
    """A route over `engine` (the primary) and `replicas`, as an app process builds it."""
    return ReadRoute.build(primary_engine=engine, replica_urls=replicas, pool_size=1, read_pool_size=1, max_lag=10,
                           connect_timeout=2)


def test_read_sessions_cannot_write_and_leave_the_pool_writable(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with route(engine).session() as session, pytest.raises(InternalError, match="read-only transaction"):
            session.execute(text("UPDATE stations SET name = name WHERE false"))
        with engine.begin() as conn:  # the same pooled connection, writable again
            conn.execute(text("UPDATE stations SET name = name WHERE false"))
    finally:
        engine.dispose()


def test_a_dead_replica_is_passed_over_and_marked_down(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    nobody = f"postgresql+psycopg://postgres:x@127.0.0.1:{free_port()}/stations"
    reads = route(engine, nobody)
    try:
        for _ in range(2):
            with reads.session() as session:
                assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert reads.status() == {"primary": "up", "replicas": [{"state": "down", "lag_s": None}]}
    finally:
        engine.dispose()
        for replica in reads.replicas:
            assert replica.owns_engine is not None
            replica.owns_engine.dispose()


def test_without_replicas_a_failed_primary_is_not_marked_down_for_good() -> None:
    """Nothing would ever mark it up again, and /readyz would say degraded forever."""
    engine = make_engine(f"postgresql+psycopg://postgres:x@127.0.0.1:{free_port()}/stations", pool_size=1)
    reads = route(engine)
    try:
        with pytest.raises(OperationalError), reads.session():
            pass
        assert reads.status() == {"primary": "up", "replicas": []}
    finally:
        engine.dispose()


def test_warming_opens_the_station_pages_pool_too(database_url: str) -> None:
    """The first station page after a start (a rider's QR scan) does not wait for its pool to open."""
    engine = make_engine(database_url, pool_size=1)
    reads = route(engine)
    pages = text("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stations-pages'")

    async def opened_by_warming() -> int:
        try:
            with engine.connect() as conn:
                before = int(conn.execute(pages).scalar_one())  # other tests' apps may keep theirs open
            await reads.warm("SELECT 1")
            with engine.connect() as conn:
                return int(conn.execute(pages).scalar_one()) - before
        finally:
            await reads.close()

    try:
        assert awaited(opened_by_warming()) == page_pool_size(1) == 2
    finally:
        engine.dispose()
