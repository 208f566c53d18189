"""Shared fixtures: one migrated PostGIS database per session, a SAVEPOINT-isolated session per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session

from stations.api.deps import (
    get_primary_rows,
    get_read_rows,
    get_read_session,
    get_read_sessions,
    get_read_stream_session,
    get_session,
    get_stream_session,
)
from stations.app import create_app
from stations.settings import Settings
from tests.support import Clock, Lookups, Registry, migrated_database, session_reads


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--screenshots DIR`: where browser tests save their pictures (docs/screenshots for the README)."""
    parser.addoption("--screenshots", default=None, help="save browser screenshots in this folder")


hypothesis_settings.register_profile(
    "stations", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
hypothesis_settings.load_profile("stations")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database for this test session, migrated by our own migrations, with PostGIS asserted."""
    with migrated_database(f"stations_test_{os.getpid()}") as url:
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT postgis_lib_version()")).scalar_one(), "PostGIS missing"
        engine.dispose()
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine on the session's test database."""
    engine = create_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside a transaction that is rolled back after the test (then `registry` rows are deleted)."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()
        for cleanup in conn.info.pop("after_rollback", []):
            cleanup()


@pytest.fixture
def registry(engine: Engine, connection: Connection) -> Registry:
    """Stations committed for this test (what the nearest lookup reads), deleted after its transaction ends."""
    committed = Registry(engine)
    connection.info.setdefault("after_rollback", []).append(committed.clear)
    return committed


@pytest.fixture(scope="session")
def _lookups(database_url: str) -> Iterator[Lookups]:
    lookups = Lookups(database_url)
    yield lookups
    lookups.close()


@pytest.fixture
def lookups(_lookups: Lookups) -> Lookups:
    """The production nearest search on the test database, its caches reset: a fresh process for each test."""
    _lookups.nearest.caches.reset()
    return _lookups


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """An ORM session on the test connection; its commits become SAVEPOINTs."""
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
        yield s


@pytest.fixture
def app_settings(database_url: str) -> Settings:
    """Settings pointing the app at the test database, with the cheapest Argon2 profile (tests only); tiles made fresh
    on every request (tests read one before and after a change; tests/api/test_tile_cache.py turns reuse on)."""
    return Settings(database_url=database_url, log_format="console", password_hash_cost="test",
                    read_pool_size=2, read_pool_warm=False, tile_server_cache_seconds=0)


@pytest.fixture
def clock() -> Clock:
    """The `client` app's clock: real time unless the test sets `clock.now`."""
    return Clock()


def _empty_rate_limits(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM rate_limits"))


@pytest.fixture
def client(app_settings: Settings, session: Session, clock: Clock, engine: Engine) -> Iterator[TestClient]:
    """An HTTP client on an app whose requests share the test's session (nearest lookups and rate limits excepted:
    they read committed rows, see `registry`; the limits' buckets are emptied around each test); lifespan runs."""
    app = create_app(app_settings, clock=clock)

    def test_session() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    for dependency in (get_session, get_read_session):
        app.dependency_overrides[dependency] = test_session
    app.dependency_overrides[get_read_sessions] = lambda: contextmanager(test_session)
    for rows in (get_read_rows, get_primary_rows):  # what the read pools' statements read, in the test's session
        app.dependency_overrides[rows] = lambda: session_reads(session)
    for dependency in (get_stream_session, get_read_stream_session):
        app.dependency_overrides[dependency] = lambda: session  # streams read after the handler's savepoint
    _empty_rate_limits(engine)
    with TestClient(app) as test_client:  # nearest lookups read through the app's own read pool (committed rows)
        yield test_client
    _empty_rate_limits(engine)


TEST_PUBLIC_ADDRESS = "93.184.215.14"
"""What *.example.com and *.example.cn resolve to in tests: a public address nothing ever connects to."""


def no_dns(host: str, port: int) -> list[str]:
    """The webhook guard's resolver in every test: example names are public, anything else does not resolve."""
    if host.endswith((".example.com", ".example.cn")) or host in ("example.com", "example.cn"):
        return [TEST_PUBLIC_ADDRESS]
    raise OSError(f"tests look up no host names ({host}); pass the guard a stub resolver")


@pytest.fixture(autouse=True)
def _webhook_hosts_never_resolved_for_real(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sends a DNS query: the system resolver of webhook checks is replaced by `no_dns`."""
    monkeypatch.setattr("stations.services.feeds.webhooks_guard.system_resolver", no_dns)
