"""Browser fixtures: a live uvicorn server on its own database, Debian's chromium driven by Playwright.

Reusable by any browser test: `live_server` (base URL, insert stations, run SQL; tables emptied before
each test), `browser` (one chromium per session) and `page` (a fresh phone-sized context per test, with
geolocation, every non-localhost request aborted and counted, and any JS dialog counted: both must stay 0).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright
from sqlalchemy import Engine, create_engine, text

from stations.settings import Settings
from tests.browser import screens
from tests.support import Clock, live_app, migrated_database

# An import is checked in a worker process, whose start alone took 3-4 s on a loaded CI machine: expectations
# wait up to 30 s (a page that never shows what is expected still fails, later).
expect.set_options(timeout=30_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
PHONE = {"width": 360, "height": 740}
LANZHOU = {"longitude": 103.8343, "latitude": 36.0611}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# No tile server is reachable (port 9 refuses): the page must work without a basemap, and no tile
# request may leave the machine.
DEAD_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"

INSERT = text(
    "INSERT INTO stations (kind, name, address, adcode, geom, hours, self_service_hours, access_methods, amenities, "
    "phone, photos, status, verified_at, sign_code, site_id) VALUES (:kind, :name, :address, :adcode, "
    "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :hours, :self_service_hours, :access_methods, :amenities, :phone, "
    ":photos, :status, :verified_at, coalesce(:sign_code, 'T-' || left(md5(random()::text), 20)), :site_id) "
    "RETURNING id"
)


@dataclass
class LiveServer:
    """A running app: `url` to browse, `insert_station(...)` and `sql(...)` to arrange its database."""

    url: str
    engine: Engine
    settings: Settings
    clock: Clock = field(default_factory=Clock)
    """The server's clock: real time unless a test sets `clock.now` (reset before each test)."""

    def insert_station(self, *, lon: float, lat: float, name: str = "示例驿站", **values: Any) -> int:
        """Insert a station (outdoor, 24/7, active unless overridden) and return its id."""
        row: dict[str, Any] = {
            "kind": "outdoor_station", "address": "甘肃省兰州市城关区示例路1号", "adcode": "620102",
            "hours": "24/7", "self_service_hours": None, "access_methods": [], "amenities": [], "phone": None,
            "photos": [], "status": "active", "verified_at": None, "sign_code": None, "site_id": None,
        }
        row.update(values, lon=lon, lat=lat, name=name)
        with self.engine.begin() as conn:
            return int(conn.execute(INSERT, row).scalar_one())

    def sql(self, statement: str, **params: Any) -> list[Any]:
        """Run SQL on the server's database and return the rows (empty for statements without rows)."""
        with self.engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return list(result) if result.returns_rows else []

    def reset(self) -> None:
        """Empty the registry and everything hanging off it."""
        self.sql("TRUNCATE stations, sites RESTART IDENTITY CASCADE")
        self.sql("TRUNCATE rate_limits")  # ids restart: a bucket keyed by a station id must not outlive its test


@pytest.fixture(scope="session")
def _live_server() -> Iterator[LiveServer]:
    """Uvicorn in a thread on a free port, on a database of its own (it cannot share the SAVEPOINT session)."""
    with migrated_database(f"stations_browser_{os.getpid()}") as url:
        settings = Settings(database_url=url, log_format="console", log_level="WARNING", map_tile_url=DEAD_TILES)
        engine = create_engine(url)
        clock = Clock()
        try:
            with live_app(settings, clock=clock) as base_url:
                yield LiveServer(url=base_url, engine=engine, settings=settings, clock=clock)
        finally:
            engine.dispose()


@pytest.fixture
def live_server(_live_server: LiveServer) -> LiveServer:
    """The live server with an empty registry and the real time for this test."""
    _live_server.reset()
    _live_server.clock.now = None
    return _live_server


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Screenshots go to `--screenshots DIR` when given, else to a temporary folder."""
    chosen = request.config.getoption("--screenshots")
    screens.FOLDER.path = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium (never a downloaded browser); Playwright gives it a fresh temporary profile."""
    if not shutil.which(CHROMIUM):
        pytest.fail("chromium is missing: run `make test` (it installs the Debian package)", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Guard:
    """What a page did that it must not: requests leaving the machine, JS dialogs (an XSS would alert)."""

    external: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def guard() -> Guard:
    """The counters the `page` fixture fills; asserted empty when the test ends."""
    return Guard()


def phone_context(browser: Browser, guard: Guard, **options: Any) -> BrowserContext:
    """A phone-sized context at a Lanzhou location, geolocation allowed, non-localhost requests aborted and
    counted in `guard`; `options` go to `new_context` (a WeChat user agent, more permissions...)."""
    settings: dict[str, Any] = {
        "viewport": PHONE, "device_scale_factor": 1, "is_mobile": True, "has_touch": True, "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai", "geolocation": LANZHOU, "permissions": ["geolocation"], **options,
    }
    ctx = browser.new_context(**settings)

    def police(route: Route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            guard.external.append(route.request.url)
            route.abort()

    ctx.route("**/*", police)
    return ctx


@pytest.fixture
def context(browser: Browser, guard: Guard) -> Iterator[BrowserContext]:
    """A phone-sized context at a Lanzhou location, geolocation allowed, non-localhost requests aborted."""
    ctx = phone_context(browser, guard)
    yield ctx
    ctx.close()
    assert guard.external == [], f"requests left the machine: {guard.external}"
    assert guard.dialogs == [], f"a JavaScript dialog opened: {guard.dialogs}"


@pytest.fixture
def page(context: BrowserContext, guard: Guard) -> Page:
    """A page in the phone context; dialogs are recorded and dismissed."""
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        guard.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page
