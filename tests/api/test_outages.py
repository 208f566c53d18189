"""A database that is down, starting, or shutting down while a request runs: a 503 with Retry-After, never a 500;
and a failure of ours is a 500 in the same `{"detail": string}` shape.

Real drivers throughout: a port nobody listens on (refused), a stub server on 127.0.0.1 that answers the
PostgreSQL startup with the real "starting up" error (57P03, as a server does while it recovers), and the test
cluster terminating the app's backend while its query waits on a lock (57P01, what a fast shutdown sends). Only
asyncpg's "cannot switch to state" is injected at the reader: it needs a protocol race to happen by itself.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator

import asyncpg
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from stations.api.deps import get_read_session, get_read_sessions, get_session
from stations.app import create_app
from stations.db.models import Role, TokenKind
from stations.nearest import Nearest
from stations.schemas.staff import StaffUserCreate
from stations.services.registry import stations as station_service
from stations.services.staff import auth, users
from stations.settings import Settings
from tests.api.test_nearest_api import Failing
from tests.factories import station_create
from tests.support import free_port, live_app, migrated_database

NEAREST = "/api/v1/stations/nearest?lon=103.8343&lat=36.0611"


def settings_for(url: str, **extra: object) -> Settings:
    """The app's settings on `url`, lookups reading through the real asyncpg pool."""
    return Settings(database_url=url, log_format="console", password_hash_cost="test", read_pool_warm=False,
                    **extra)  # type: ignore[arg-type]


def assert_retry_later(reply: httpx.Response) -> None:
    """A 503 with Retry-After and a `{"detail": string}` body that says to try again."""
    assert reply.status_code == 503, reply.text
    assert int(reply.headers["Retry-After"]) > 0
    assert reply.headers["content-type"] == "application/json" and "try again" in reply.json()["detail"]


def test_a_database_nobody_listens_on_is_a_503(database_url: str) -> None:
    url = f"postgresql+psycopg://postgres:x@127.0.0.1:{free_port()}/stations"
    with TestClient(create_app(settings_for(url, require_api_key=False))) as client:
        assert_retry_later(client.get("/api/v1/stations/1"))  # psycopg: connection refused
        assert_retry_later(client.get(NEAREST))  # asyncpg, in the fast path: ConnectionRefusedError
        assert_retry_later(client.get("/api/v1/exports/csv"))  # a stream whose first query fails: not a cut 200


class StartingServer:
    """A TCP server on 127.0.0.1 that answers every PostgreSQL connection as a server still starting up does."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            with connection:
                self._answer(connection)

    @staticmethod
    def _answer(connection: socket.socket) -> None:
        while True:  # SSL and GSS encryption requests are declined ("N"), then the startup message gets the error
            head = connection.recv(8)
            if len(head) < 8:
                return
            length, code = struct.unpack("!ii", head)
            if code in (80877103, 80877104):
                connection.sendall(b"N")
                continue
            connection.recv(length - 8)
            fields = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
            connection.sendall(b"E" + struct.pack("!i", len(fields) + 4) + fields)
            return

    def close(self) -> None:
        self.sock.close()


def test_a_database_that_is_starting_up_is_a_503() -> None:
    server = StartingServer()
    try:
        url = f"postgresql+psycopg://postgres:x@127.0.0.1:{server.port}/stations"
        with TestClient(create_app(settings_for(url))) as client:
            assert_retry_later(client.get("/api/v1/stations/1"))  # psycopg: OperationalError (57P03)
            assert_retry_later(client.get(NEAREST))  # asyncpg: CannotConnectNowError
    finally:
        server.close()


@pytest.fixture(scope="module")
def outage_db() -> Iterator[tuple[str, Engine]]:
    """A database of its own with one station (id 1) and an admin, for a live app whose backends get terminated."""
    with migrated_database("stations_outage") as url:
        engine = create_engine(url)
        with Session(engine) as session, session.begin():
            station_service.create(session=session, data=station_create())
        yield url, engine
        engine.dispose()


def terminate_while_waiting(engine: Engine, request: threading.Thread) -> None:
    """Hold an exclusive lock on stations while `request` runs, and terminate the backend that waits on it."""
    with engine.connect() as conn, conn.begin():
        conn.execute(text("LOCK TABLE stations IN ACCESS EXCLUSIVE MODE"))
        request.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            conn.execute(text("SELECT pg_stat_clear_snapshot()"))  # a transaction sees one snapshot otherwise
            waiting = conn.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                " AND pid <> pg_backend_pid()")).scalars().all()
            if waiting:
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:p AS int[])) AS pid"),
                             {"p": waiting})
                break
            time.sleep(0.05)
        else:
            request.join(timeout=30)
            pytest.fail("the request never waited on the lock")
    request.join(timeout=30)


def test_a_backend_terminated_mid_request_is_a_503_and_the_next_request_works(
    outage_db: tuple[str, Engine],
) -> None:
    url, engine = outage_db
    settings = settings_for(url)
    with Session(engine) as session, session.begin():
        admin = users.create(session=session, cost="test", data=StaffUserCreate(
            username="outage-admin", password="correct-horse-battery", role=Role.ADMIN, display_name="admin"))
        token, _ = auth.issue_token(session=session, settings=settings, user=admin, kind=TokenKind.API)
    headers = {"Authorization": f"Bearer {token}", "If-Match": '"1"'}
    with live_app(settings) as base:
        replies: dict[str, httpx.Response] = {}

        def patch() -> None:  # psycopg through SQLAlchemy: AdminShutdown in the middle of a write
            replies["patch"] = httpx.patch(f"{base}/api/v1/stations/1", json={"name": "新名"}, headers=headers,
                                           timeout=30)

        def nearest() -> None:  # asyncpg in the fast path: the lookup's backend terminated
            replies["nearest"] = httpx.get(f"{base}{NEAREST}", timeout=30)

        terminate_while_waiting(engine, threading.Thread(target=patch))
        terminate_while_waiting(engine, threading.Thread(target=nearest))
        assert_retry_later(replies["patch"])
        assert_retry_later(replies["nearest"])
        assert httpx.patch(f"{base}/api/v1/stations/1", json={"name": "新名"}, headers=headers).status_code == 200
        assert httpx.get(f"{base}{NEAREST}").status_code == 200


def test_asyncpg_stuck_in_a_protocol_state_is_a_503(client: TestClient) -> None:
    stuck = asyncpg.InternalClientError("cannot switch to state 12; another operation (11) is in progress")
    client.app.state.nearest = Nearest(Failing(stuck))  # type: ignore[attr-defined]
    assert_retry_later(client.get(NEAREST))  # type: ignore[arg-type]


def test_a_failure_of_ours_is_a_logged_500_in_the_same_shape(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    client.app.state.nearest = Nearest(Failing(KeyError("a bug of ours")))  # type: ignore[attr-defined]
    reply = client.get(NEAREST)
    assert reply.status_code == 500 and reply.headers["content-type"] == "application/json"
    assert reply.json() == {"detail": "the request failed on our side; it has been logged"}
    assert any(record.exc_info and "a bug of ours" in str(record.exc_info[1]) for record in caplog.records)


def test_a_failure_in_a_route_or_outside_any_is_json_too(app_settings: Settings) -> None:
    app = create_app(app_settings)

    def broken_session() -> Iterator[Session]:
        raise RuntimeError("raised in a dependency")

    class Broken:  # a middleware added after ours, so outside it: Starlette's last resort answers
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http" and scope["path"] == "/broken":
                raise RuntimeError("raised outside every route")
            await self.app(scope, receive, send)

    app.dependency_overrides[get_session] = app.dependency_overrides[get_read_session] = broken_session
    app.dependency_overrides[get_read_sessions] = broken_session
    app.add_middleware(Broken)
    shape = {"detail": "the request failed on our side; it has been logged"}
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/api/v1/stations/1", "/broken"):
            reply = client.get(path)
            assert reply.status_code == 500 and reply.headers["content-type"] == "application/json", reply.text
            assert reply.json() == shape
