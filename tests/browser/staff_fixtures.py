"""Staff browser fixtures on the shared live server: accounts, a desktop context, a logged-in page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route
from sqlalchemy import delete
from sqlalchemy.orm import Session

from stations.db.models import StaffUser
from stations.db.models.staff import Role
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import users
from tests.browser.conftest import DEAD_TILES, LOCAL_HOSTS, LiveServer

PASSWORD = "browser-test-password"
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def staff_server(live_server: LiveServer) -> LiveServer:
    """The live server with an empty registry, fresh staff accounts and no reachable basemap."""
    live_server.settings.staff_tile_url = DEAD_TILES  # the pin map must work without tiles
    with Session(live_server.engine) as session, session.begin():
        session.execute(delete(StaffUser))
        for name, role, region in (("admin", Role.ADMIN, ""), ("chengguan", Role.EDITOR, "620102"),
                                   ("chengguan2", Role.EDITOR, "620102")):
            users.create(session=session, cost="test", data=StaffUserCreate(
                username=name, password=PASSWORD, role=role, region_prefix=region, display_name=f"{name} 示例"))
    return live_server


@pytest.fixture
def desk(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Factory of desktop contexts (zh-CN, Shanghai time) whose non-local requests are aborted and counted."""
    made: list[BrowserContext] = []
    external: list[str] = []

    def police(route: Route) -> None:
        if (urlparse(route.request.url).hostname or "") in LOCAL_HOSTS or route.request.url.startswith("data:"):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    def make() -> BrowserContext:
        ctx = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
        ctx.route("**/*", police)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()
    assert external == [], f"requests left the machine: {external}"


def log_in(page: Page, server: LiveServer, username: str) -> None:
    """Log in through the form and land on the dashboard."""
    page.goto(f"{server.url}/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.url}/staff")


def no_dialogs(page: Page) -> list[Any]:
    """Record any JS dialog (an XSS would open one) and dismiss it."""
    seen: list[Any] = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    return seen
