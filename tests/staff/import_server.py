"""The real app served live for upload tests: its checks run in worker processes that must see committed rows, so
it cannot share the SAVEPOINT session. One database, two apps: default limits, and small limits for cheap files."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from stations.db.models import Role
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import users
from stations.settings import Settings
from tests.support import live_app, migrated_database

PASSWORD = "upload-test-password"
ACCOUNTS = {"admin": (Role.ADMIN, ""), "chengguan": (Role.EDITOR, "620102"), "qilihe": (Role.EDITOR, "620103"),
            "lanzhou": (Role.EDITOR, "6201"), "viewer": (Role.VIEWER, "")}
SMALL = {"import_max_rows": 5000, "import_max_bytes": 2 * 2**20, "import_max_columns": 64,
         "import_max_unpacked_mb": 8, "import_worker_memory_mb": 1024}
RUNNING = ("checking", "applying")


@dataclass
class ImportServer:
    """A live app: its URL, its database, and bearer headers per account."""

    url: str
    engine: Engine
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def client(self, who: str = "admin", **kwargs: Any) -> httpx.Client:
        """An HTTP client logged in as `who` (bearer token)."""
        if who not in self.headers:
            reply = httpx.post(f"{self.url}/api/v1/auth/token", data={"username": who, "password": PASSWORD})
            reply.raise_for_status()
            self.headers[who] = {"Authorization": f"Bearer {reply.json()['access_token']}"}
        return httpx.Client(base_url=self.url, headers=self.headers[who], timeout=kwargs.pop("timeout", 120), **kwargs)

    def upload(self, who: str, name: str, content: bytes, **form: str) -> httpx.Response:
        """POST a file to /api/v1/imports as `who` (headers in `form['prefer']` become Prefer)."""
        prefer = form.pop("prefer", "")
        with self.client(who) as client:
            return client.post("/api/v1/imports", files={"file": (name, content)}, data=form,
                               headers={"Prefer": prefer} if prefer else {})

    def follow(self, who: str, job: str) -> dict[str, Any]:
        """Poll a job until it is no longer running; its last state."""
        with self.client(who) as client:
            while True:
                state: dict[str, Any] = client.get(f"/api/v1/imports/{job}").json()
                if state["status"] not in RUNNING:
                    return state
                time.sleep(0.1)

    def sql(self, statement: str, **params: Any) -> list[Any]:
        """Run SQL on the app's database."""
        with self.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result) if result.returns_rows else []


def probing(server: ImportServer, work: Callable[[], Any]) -> tuple[Any, list[int]]:
    """Run `work` in a thread while /healthz and a nearest lookup are asked over and over (at least once):
    what `work` returned, and every status those probes got."""
    done: list[Any] = []
    thread = threading.Thread(target=lambda: done.append(work()))
    thread.start()
    statuses: list[int] = []
    with httpx.Client(base_url=server.url, timeout=30) as client:
        while thread.is_alive() or not statuses:
            statuses.append(client.get("/healthz").status_code)
            statuses.append(client.get("/api/v1/stations/nearest?lon=103.83&lat=36.06").status_code)
            time.sleep(0.05)  # a steady trickle, not a flood that starves the worker on a small machine
    thread.join()
    return done[0], statuses


@pytest.fixture(scope="session")
def import_database() -> Iterator[str]:
    """A migrated database for the upload tests, with one staff account per role and region."""
    with migrated_database(f"stations_uploads_{os.getpid()}") as url:
        engine = create_engine(url)
        with Session(engine) as session, session.begin():
            for name, (role, region) in ACCOUNTS.items():
                users.create(session=session, cost="test", data=StaffUserCreate(
                    username=name, password=PASSWORD, role=role, region_prefix=region, display_name=name))
        engine.dispose()
        yield url


def _serve(url: str, **limits: Any) -> Iterator[ImportServer]:
    settings = Settings(database_url=url, log_format="console", password_hash_cost="test", read_pool_warm=False,
                        **limits)
    engine = create_engine(url)
    with live_app(settings) as base:
        yield ImportServer(url=base, engine=engine)
    engine.dispose()


@pytest.fixture(scope="session")
def _default_app(import_database: str) -> Iterator[ImportServer]:
    yield from _serve(import_database)


@pytest.fixture(scope="session")
def _small_app(import_database: str) -> Iterator[ImportServer]:
    yield from _serve(import_database, **SMALL)


def _empty(server: ImportServer) -> None:
    server.sql("TRUNCATE stations, sites, import_jobs RESTART IDENTITY CASCADE")


@pytest.fixture
def uploads(_default_app: ImportServer) -> Iterator[ImportServer]:
    """The app with default limits, on an empty registry with no import jobs."""
    _empty(_default_app)
    yield _default_app


@pytest.fixture
def small_uploads(_small_app: ImportServer) -> Iterator[ImportServer]:
    """The app with small limits (5,000 rows, 2 MB, 64 columns, 8 MB unpacked), on an empty registry."""
    _empty(_small_app)
    yield _small_app
