"""A live server on a free port over a database of its own, for real clients (GDAL) and racing writers.

The SAVEPOINT session of tests/conftest.py never commits, so a server in another thread could not see
its rows; these tests commit for real into a separate database that is emptied before each test.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from stations.app import create_app
from stations.db import migrate
from stations.settings import Settings
from tests.conftest import _server_url

TABLES = "webhook_deliveries, webhook_subscriptions, api_keys, station_changes, provider_listings, stations, sites"


@pytest.fixture(scope="session")
def live_database_url() -> Iterator[str]:
    """A second migrated database that live servers and committing tests share."""
    server = make_url(_server_url())
    name = f"stations_live_{os.getpid()}"
    with DatabaseJanitor(
        user=server.username or "postgres", password=server.password, host=server.host or "127.0.0.1",
        port=server.port or 5432, dbname=name,
    ):
        url = server.set(database=name).render_as_string(hide_password=False)
        migrate.upgrade(url=url)
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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_settings(live_database_url: str) -> Settings:
    """Settings of the live server (API keys not required, so GDAL and curl-like clients just read)."""
    return Settings(database_url=live_database_url, log_format="console", require_api_key=False)


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """Base URL of uvicorn serving our app in a thread on a free port of 127.0.0.1."""
    port = _free_port()
    config = uvicorn.Config(create_app(live_settings), host="127.0.0.1", port=port, log_config=None, workers=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start within 20 s", pytrace=False)
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
