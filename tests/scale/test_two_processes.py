"""Two `stations serve` processes on different ports against one database behave as one: a key's rate limit, a
device's report limit and a username's lockout hold across both, and an import started on one is followed and
applied on the other. Neither migrates at start (STATIONS_MIGRATE_ON_START=false, as in docker-compose.yml)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import Role
from stations.schemas.staff import StaffUserCreate
from stations.services.feeds import apikeys
from stations.services.staff import users
from tests.scale.cluster import Replicated
from tests.support import free_port
from tests.sync import writes

PASSWORD = "two-processes-password"
STATIONS = Path(sys.executable).parent / "stations"


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """`stations serve` in a process of its own on a free port; its base URL. Stopped afterwards, however the test
    ends (SIGTERM, then SIGKILL after 10 s)."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen([str(STATIONS), "serve", "--port", str(port), "--no-access-log"],
                                   env=os.environ | env, stdout=log, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 90
            while not _answers(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"stations serve did not start: {log.read()[-2000:].decode(errors='replace')}")
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="module")
def two(pair: Replicated, primary_engine: Engine) -> Iterator[tuple[str, str]]:
    """Two app processes on the pair's primary (reads on its replica), with an admin account, staff data emptied."""
    with Session(primary_engine) as session, session.begin():
        session.execute(text("TRUNCATE staff_users, import_jobs, login_throttle, rate_limits RESTART IDENTITY CASCADE"))
        users.create(session=session, cost="test", data=StaffUserCreate(
            username="admin", password=PASSWORD, role=Role.ADMIN, region_prefix="", display_name="admin"))
    env = {"STATIONS_DATABASE_URL": pair.url(pair.primary), "STATIONS_READ_DATABASE_URLS": pair.url(pair.replica),
           "STATIONS_MIGRATE_ON_START": "false", "STATIONS_PASSWORD_HASH_COST": "test",
           "STATIONS_LOG_FORMAT": "console", "STATIONS_READ_POOL_WARM": "false", "STATIONS_READ_POOL_SIZE": "2",
           "STATIONS_POOL_SIZE": "3", "STATIONS_REPORTS_PER_HOUR": "3", "STATIONS_LOGIN_MAX_FAILURES": "3",
           "STATIONS_IMPORT_WORKERS": "1"}
    with ExitStack() as stack:
        yield stack.enter_context(serving(env)), stack.enter_context(serving(env))


def test_a_keys_limit_holds_across_processes(two: tuple[str, str], primary: sessionmaker[Session]) -> None:
    with primary() as session, session.begin():
        raw, _ = apikeys.create(session=session, name="amap", rate_per_minute=4)
    statuses = [httpx.get(f"{two[n % 2]}/api/v1/feed/changes", headers={"X-API-Key": raw}).status_code
                for n in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]  # 4 a minute in all, not 4 on each


def test_a_devices_report_limit_and_a_usernames_lockout_hold_across_processes(
    two: tuple[str, str], primary: sessionmaker[Session]
) -> None:
    with primary() as session, session.begin():
        station = writes.create(session)
    reports = [httpx.post(f"{two[n % 2]}/api/v1/stations/{station.id}/reports", json={"kind": "no_water"}).status_code
               for n in range(4)]
    assert reports == [201, 201, 201, 429]  # 3 an hour from this address, wherever they land
    logins = [httpx.post(f"{two[n % 2]}/api/v1/auth/token", data={"username": "guesser", "password": "wrong"})
              for n in range(4)]
    assert [reply.status_code for reply in logins] == [401, 401, 401, 429]  # 3 failures in all lock the name


def _follow(base: str, token: dict[str, str], job: str, until: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        state: dict[str, Any] = httpx.get(f"{base}/api/v1/imports/{job}", headers=token).json()
        if state["status"] == until or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def test_an_import_started_on_one_process_is_followed_and_applied_on_the_other(two: tuple[str, str]) -> None:
    first, second = two
    login = httpx.post(f"{first}/api/v1/auth/token", data={"username": "admin", "password": PASSWORD})
    token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    rows = ["站点名称,类型,地址,经度,纬度,行政区划代码"] + [
        f"两进程驿站{n}号,驿站,甘肃省兰州市城关区{n}号,{103.834 + n * 1e-4:.4f},36.06,620102" for n in range(30)]
    started = httpx.post(f"{first}/api/v1/imports", headers=token | {"Prefer": "respond-async"},
                         files={"file": ("two.csv", ("\n".join(rows) + "\n").encode())}, timeout=60)
    assert started.status_code == 202 and started.json()["status"] == "checking"
    job = started.json()["id"]
    checked = _follow(second, token, job, "checked")  # the other process reads the job's row
    assert checked["status"] == "checked" and checked["report"]["valid"] == 30
    applying = httpx.post(f"{second}/api/v1/imports/{job}/apply", headers=token | {"Prefer": "respond-async"})
    assert applying.status_code == 202
    applied = _follow(first, token, job, "applied")
    assert applied["status"] == "applied" and applied["progress"]["percent"] == 100.0
    assert applied["report"]["created"] == 30
