"""The gap map in Debian's chromium: unmet demand, stations' 1 km circles, the far cluster suggested first."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from stations.geo.grid import cell_centre, cell_of
from tests.browser import screens
from tests.browser.conftest import LiveServer
from tests.browser.staff_fixtures import desk, log_in, no_dialogs, staff_server

pytestmark = pytest.mark.browser
__all__ = ["desk", "staff_server"]
Desk = Callable[[], BrowserContext]
CELLS = [((103.831, 36.061), 10), ((103.90, 36.05), 30), ((103.95, 36.07), 5), ((103.905, 36.053), 8)]


def _add_cell(server: LiveServer, point: tuple[float, float], lookups: int, hour: int) -> None:
    row, col = cell_of(*point)
    lon, lat = cell_centre(row, col)
    server.sql("INSERT INTO demand_cells (week, cell_row, cell_col, hour_of_week, adcode, geom, lookups, served, "
               "open_m_sum, open_n) VALUES (date_trunc('week', now())::date, :row, :col, :hour, '620102', "
               "ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :lookups, 0, 0, 0) ON CONFLICT DO NOTHING",
               row=row, col=col, hour=hour, lon=lon, lat=lat, lookups=lookups)


def test_the_gap_map_shows_gaps_circles_and_suggestions(staff_server: LiveServer, desk: Desk) -> None:
    staff_server.sql("DELETE FROM demand_cells")
    staff_server.insert_station(lon=103.83, lat=36.06, name="城关示例驿站")
    for point, lookups in CELLS:
        _add_cell(staff_server, point, lookups, hour=12)
    try:
        page = desk().new_page()
        dialogs = no_dialogs(page)
        log_in(page, staff_server, "chengguan")
        page.click("a:has-text('覆盖缺口')")
        expect(page.locator("#gap-map")).to_have_attribute("data-ready", "1")
        rows = page.locator("#gap-suggestions tr")
        expect(rows).to_have_count(2)  # the east cluster (two cells within 1 km of each other), then the small one
        expect(rows.first).to_contain_text("38")
        expect(page.locator("path.gap-cell")).to_have_count(3)
        expect(page.locator("path.station-reach")).to_have_count(1)
        expect(page.locator("#gap-share")).to_contain_text("18.9%")  # 10 of 53 lookups near an open station
        assert "hour=" not in (page.get_attribute("#export-csv", "href") or "")
        screens.save(page, "staff-gap-map", full_page=True)
        page.select_option("#gap-hour", "13")
        page.click("#gap-controls button[type=submit]")
        expect(rows).to_have_count(0)
        assert "hour=13" in (page.get_attribute("#export-csv", "href") or "")
        page.goto(f"{staff_server.url}/staff")
        card = page.locator("#coverage")
        expect(card).to_contain_text("18.9% 有开放站点")
        expect(card.locator("svg.hour-chart rect.open")).to_have_count(168)
        screens.save(page, "staff-dashboard-coverage", full_page=True)
        assert dialogs == []
    finally:
        staff_server.sql("DELETE FROM demand_cells")
