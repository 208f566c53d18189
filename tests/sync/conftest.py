"""A live server on a free port over a database of its own, for real clients (GDAL) and racing writers.

The SAVEPOINT session of tests/conftest.py never commits, so a server in another thread could not see
its rows; these tests commit for real into a separate database that is emptied before each test.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from stations.settings import Settings
from tests.support import live_app, migrated_database

TABLES = ("webhook_deliveries, webhook_subscriptions, api_keys, station_changes, provider_listings, stations, sites, "
          "alert_changes, weather_alerts")  # issue 24: alert events share station_changes' sequence


@pytest.fixture(scope="session")
def live_database_url() -> Iterator[str]:
    """A second migrated database that live servers and committing tests share."""
    with migrated_database(f"stations_live_{os.getpid()}") as url:
        yield url


@pytest.fixture(scope="session")
def live_engine(live_database_url: str) -> Iterator[Engine]:
    """An engine on the live database (real commits)."""
    engine = create_engine(live_database_url, pool_size=10)
    yield engine
    engine.dispose()


@pytest.fixture
def live_sessions(live_engine: Engine) -> sessionmaker[Session]:
    """Session factory on an emptied live database; every test starts from no stations."""
    _wait_until_no_open_transactions(live_engine)
    with live_engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))  # fail loudly, never hang the suite
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
        conn.execute(text("TRUNCATE sign_serials"))
    return sessionmaker(bind=live_engine, expire_on_commit=False)


def _wait_until_no_open_transactions(engine: Engine, seconds: float = 10.0) -> None:
    """Let the live server finish requests of the previous test (their sessions commit after the reply)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
        "AND state LIKE 'idle in transaction%'"
    )
    deadline = time.monotonic() + seconds
    with engine.connect() as conn:
        while conn.execute(query).scalar_one() and time.monotonic() < deadline:
            conn.rollback()
            time.sleep(0.05)


@pytest.fixture(scope="session")
def live_settings(live_database_url: str) -> Settings:
    """Settings of the live server (API keys not required, so GDAL and curl-like clients just read)."""
    return Settings(database_url=live_database_url, log_format="console", require_api_key=False)


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """Base URL of uvicorn serving our app in a thread on a free port of 127.0.0.1."""
    with live_app(live_settings) as url:
        yield url
