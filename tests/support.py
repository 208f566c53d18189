"""What the conftests share: a fresh migrated database, and our app served live on a free port."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
import uvicorn
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import make_url

from stations.app import create_app
from stations.db import migrate
from stations.db.local import LocalCluster
from stations.errors import SetupError
from stations.hours import SHANGHAI
from stations.settings import Settings


class Clock:
    """The app's clock in a test: real Beijing time until a test sets a moment (`clock.now = ...`)."""

    def __init__(self) -> None:
        self.now: datetime | None = None

    def __call__(self) -> datetime:
        return self.now or datetime.now(SHANGHAI)


def server_url() -> str:
    """The server the tests run on: STATIONS_DATABASE_URL, or the running embedded cluster."""
    settings = Settings()
    if settings.database_url:
        return settings.database_url
    cluster = LocalCluster.from_settings(settings)
    if not cluster.is_running():
        pytest.fail(
            "no PostGIS server for the tests: run `make test` (it starts one) or `stations db up`, "
            "or set STATIONS_DATABASE_URL. Spatial tests are never skipped.",
            pytrace=False,
        )
    try:
        return cluster.url()
    except SetupError as exc:
        pytest.fail(exc.message, pytrace=False)


@contextmanager
def migrated_database(name: str) -> Iterator[str]:
    """A new database `name` on the test server, built by our migrations, dropped afterwards."""
    server = make_url(server_url())
    with DatabaseJanitor(
        user=server.username or "postgres", password=server.password, host=server.host or "127.0.0.1",
        port=server.port or 5432, dbname=name,
    ):
        url = server.set(database=name).render_as_string(hide_password=False)
        migrate.upgrade(url=url)
        yield url


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_app(settings: Settings, *, clock: Callable[[], datetime] | None = None) -> Iterator[str]:
    """Serve `create_app(settings)` with uvicorn in a thread; yield its base URL, stop it afterwards."""
    port = free_port()
    settings.host, settings.port = "127.0.0.1", port  # links name where it listens; the caller's object stays the app's
    app = create_app(settings) if clock is None else create_app(settings, clock=clock)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the live server did not start within 20 s", pytrace=False)
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
