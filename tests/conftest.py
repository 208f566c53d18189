"""Shared fixtures: one migrated PostGIS database per session, a SAVEPOINT-isolated session per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.concurrency import run_in_threadpool
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.orm import Session

from stations.api.deps import get_session, get_stream_session
from stations.app import create_app
from stations.services.nearest import Nearby, NearestQuery, nearest
from stations.settings import Settings
from tests.support import Clock, migrated_database


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
    """A connection inside a transaction that is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """An ORM session on the test connection; its commits become SAVEPOINTs."""
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
        yield s


@pytest.fixture
def app_settings(database_url: str) -> Settings:
    """Settings pointing the app at the test database, with the cheapest Argon2 profile (tests only)."""
    return Settings(database_url=database_url, log_format="console", password_hash_cost="test",
                    read_pool_warm=False)  # HTTP tests read nearest through their own session


@pytest.fixture
def clock() -> Clock:
    """The `client` app's clock: real time unless the test sets `clock.now`."""
    return Clock()


@pytest.fixture
def client(app_settings: Settings, session: Session, clock: Clock) -> Iterator[TestClient]:
    """An HTTP client on an app whose requests (reads and writes) share the test's session; lifespan runs."""
    app = create_app(app_settings, clock=clock)

    def test_session() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    app.dependency_overrides[get_session] = test_session
    app.dependency_overrides[get_stream_session] = lambda: session  # streams read after the handler's savepoint

    async def read_nearest(*, query: NearestQuery) -> list[Nearby]:
        return await run_in_threadpool(nearest, session=session, query=query)

    with TestClient(app) as test_client:
        app.state.nearest_reader = read_nearest  # after the lifespan, which sets the pool's reader
        yield test_client


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
    monkeypatch.setattr("stations.services.webhooks_guard.system_resolver", no_dns)
