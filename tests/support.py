"""What the conftests share: a fresh migrated database, and our app served live on a free port."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import pytest
import uvicorn
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import Engine, TextClause, make_url, text
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement

from stations.app import create_app
from stations.db import migrate
from stations.db.local import LocalCluster
from stations.db.read_pool import read_pool
from stations.db.statements import StatementReads
from stations.errors import SetupError
from stations.hours import SHANGHAI
from stations.nearest import Nearby, Nearest, NearestQuery
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
def empty_database(name: str) -> Iterator[str]:
    """A new, empty database `name` on the test server, dropped afterwards."""
    server = make_url(server_url())
    with DatabaseJanitor(
        user=server.username or "postgres", password=server.password, host=server.host or "127.0.0.1",
        port=server.port or 5432, dbname=name,
    ):
        yield server.set(database=name).render_as_string(hide_password=False)


@contextmanager
def migrated_database(name: str) -> Iterator[str]:
    """A new database `name` on the test server, built by our migrations, dropped afterwards."""
    with empty_database(name) as url:
        migrate.upgrade(url=url)
        yield url


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_app(
    settings: Settings, *, clock: Callable[[], datetime] | None = None, options: dict[str, Any] | None = None
) -> Iterator[str]:
    """Serve `create_app(settings)` with uvicorn in a thread (with extra uvicorn `options`, e.g. `stations serve`'s
    proxy settings); yield its base URL, stop it afterwards."""
    port = free_port()
    settings.host, settings.port = "127.0.0.1", port  # links name where it listens; the caller's object stays the app's
    app = create_app(settings) if clock is None else create_app(settings, clock=clock)
    config = {"log_config": None, "log_level": "warning", **(options or {}), "host": "127.0.0.1", "port": port}
    server = uvicorn.Server(uvicorn.Config(app, **config))
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


T = TypeVar("T")


def awaited(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of `coroutine`, run on an event loop of its own in a thread: a test may run where a loop already
    runs (asyncio.run refuses that)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=60)


def session_reads(session: Session) -> StatementReads:
    """What the read pools run as prepared statements (`db.statements`), run in the test's own session instead: a
    request's reads see the test's uncommitted rows."""

    async def rows(statement: ClauseElement, params: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]:
        with session.begin_nested():
            return session.execute(statement, params).mappings().all()  # type: ignore[call-overload,no-any-return]

    return rows


class Registry:
    """Stations committed to a test database (the nearest lookup's read pool sees only committed rows), deleted
    when the test ends: the `registry` fixture runs `clear()` after the test's own transaction is rolled back."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.ids: list[int] = []
        self.sites: list[int] = []

    def insert(self, statement: TextClause, params: dict[str, object]) -> int:
        """Run an INSERT ... RETURNING id and commit it; the row is removed by `clear()`."""
        with self.engine.begin() as conn:
            new_id = int(conn.execute(statement, params).scalar_one())
        self.ids.append(new_id)
        return new_id

    def insert_site(self, name: str = "示例") -> int:
        """A committed site (a place hosting several functions), removed by `clear()`."""
        with self.engine.begin() as conn:
            site = int(conn.execute(text("INSERT INTO sites (name, address, adcode) VALUES (:n, '示例', '110101') "
                                         "RETURNING id"), {"n": name}).scalar_one())
        self.sites.append(site)
        return site

    def clear(self) -> None:
        """Delete every station and site this registry inserted (and what hangs off them)."""
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM stations WHERE id = ANY(:ids)"), {"ids": self.ids})
            conn.execute(text("DELETE FROM sites WHERE id = ANY(:ids)"), {"ids": self.sites})
        self.ids.clear()
        self.sites.clear()


class Lookups:
    """The production nearest search (`Nearest` on an asyncpg read pool) on a test database, for synchronous
    tests: its event loop runs in a thread of its own (Playwright's sync API leaves one set on the main thread)."""

    def __init__(self, url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.nearest = Nearest(read_pool(url, size=2))

    def find(self, query: NearestQuery) -> list[Nearby]:
        """`Nearest.find`, waited for."""
        return asyncio.run_coroutine_threadsafe(self.nearest.find(query), self.loop).result(timeout=60)

    def close(self) -> None:
        """Close the pool and stop the loop."""
        reads = self.nearest.reads
        assert hasattr(reads, "close")
        asyncio.run_coroutine_threadsafe(reads.close(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
