"""Coverage on synthetic demand with known answers: lookups counted by cell and hour, shares per region and hour,
the far cluster suggested first, and covering it raising the share by exactly its part."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.geo.geodesy import distance_m
from stations.geo.grid import cell_centre, cell_of
from stations.hours import SHANGHAI
from stations.services.coverage import planning
from tests.support import Clock, Registry

MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)
NEAR_STATION = (103.831, 36.061)  # 兰州市城关区, ~140 m from the station
FAR_CLUSTER = (103.90, 36.05)  # ~6.4 km east of it
SMALL_CLUSTER = (103.95, 36.07)
INSERT = text(
    "INSERT INTO stations (kind, name, address, adcode, geom, hours, status, sign_code) "
    "VALUES ('outdoor_station', '示例驿站', '示例地址', '620102', ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :hours, "
    "'active', 'T-' || left(md5(random()::text), 20)) RETURNING id"
)


def look(client: TestClient, point: tuple[float, float], times: int) -> None:
    for _ in range(times):
        assert client.get(f"/api/v1/stations/nearest?lon={point[0]}&lat={point[1]}").status_code == 200


@pytest.fixture
def demand(client: TestClient, registry: Registry, session: Session, clock: Clock) -> TestClient:
    """One 24/7 station; 10 lookups beside it, 30 in a far cluster, 5 in a small one, Monday noon; written."""
    session.execute(text("DELETE FROM demand_cells"))  # other tests' lookups (rolled back with this test)
    session.execute(text("DELETE FROM demand_points"))
    clock.now = MONDAY_NOON
    registry.insert(INSERT, {"lon": 103.83, "lat": 36.06, "hours": "24/7"})
    look(client, NEAR_STATION, 10)
    look(client, FAR_CLUSTER, 30)
    look(client, SMALL_CLUSTER, 5)
    assert client.app.state.demand.flush_into(session=session) == 3  # type: ignore[attr-defined]
    return client


def _coverage(session: Session, hour: int | None = None) -> planning.Coverage:
    return planning.coverage(session=session, region="6201", level="county", hour=hour, today=date(2026, 3, 2),
                             retention_days=91)


def test_lookups_are_stored_as_cell_centres_and_hours_only(demand: TestClient, session: Session) -> None:
    rows = session.execute(text("SELECT cell_row, cell_col, hour_of_week, adcode, ST_X(geom) AS lon, ST_Y(geom) AS lat,"
                                " lookups, served FROM demand_cells ORDER BY lookups")).all()
    assert [(r.lookups, r.served, r.hour_of_week, r.adcode) for r in rows] == [
        (5, 0, 12, "620102"), (10, 10, 12, "620102"), (30, 0, 12, "620102")]
    far = rows[2]
    assert (far.cell_row, far.cell_col) == cell_of(*FAR_CLUSTER)
    assert (far.lon, far.lat) == pytest.approx(cell_centre(far.cell_row, far.cell_col))
    assert (far.lon, far.lat) != pytest.approx(FAR_CLUSTER, abs=1e-6)  # never the rider's own point
    columns = {r[0] for r in session.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'demand_cells'"))}
    assert not columns & {"ip", "client", "device", "lon", "lat", "user_id"}


def test_the_far_cluster_is_suggested_first_and_covering_it_raises_coverage_by_its_share(
    demand: TestClient, session: Session, registry: Registry,
) -> None:
    before = _coverage(session)
    assert before.whole.demand == 45 and before.whole.near_open == 10
    assert before.whole.share_open == pytest.approx(10 / 45)
    assert [(s.region, s.demand) for s in before.regions] == [("620102", 45)]
    assert before.by_hour[12].demand == 45 and before.by_hour[13].demand == 0

    _, found = planning.suggest(session=session, region="6201", hour=None, k=3, today=date(2026, 3, 2),
                                retention_days=91)
    assert [s.place for s in found] == [f"c{r}:{c}" for r, c in (cell_of(*FAR_CLUSTER), cell_of(*SMALL_CLUSTER))]
    assert [s.covers for s in found] == [30, 5]
    assert found[0].share_gain == pytest.approx(30 / 45)

    gaps = planning.gaps(session=session, region="6201", hour=12, today=date(2026, 3, 2), retention_days=91)
    assert gaps[0].mean_open_m == pytest.approx(distance_m(*FAR_CLUSTER, 103.83, 36.06), abs=0.01)

    registry.insert(INSERT, {"lon": found[0].lon, "lat": found[0].lat, "hours": "24/7"})
    after = _coverage(session)
    assert after.whole.share_open - before.whole.share_open == pytest.approx(found[0].share_gain)


def test_a_station_closed_at_night_covers_noon_but_not_22_00(
    client: TestClient, registry: Registry, session: Session, clock: Clock,
) -> None:
    session.execute(text("DELETE FROM demand_cells"))
    registry.insert(INSERT, {"lon": 103.83, "lat": 36.06, "hours": "Mo-Su 08:00-18:00"})
    for moment, times in ((MONDAY_NOON, 4), (MONDAY_NOON.replace(hour=22), 6)):
        clock.now = moment
        look(client, NEAR_STATION, times)
    client.app.state.demand.flush_into(session=session)  # type: ignore[attr-defined]
    noon, night = _coverage(session, hour=12).whole, _coverage(session, hour=22).whole
    assert (noon.demand, noon.near, noon.near_open) == (4, 4, 4)
    assert (night.demand, night.near, night.near_open) == (6, 6, 0)
    gaps = planning.gaps(session=session, region="6201", hour=22, today=date(2026, 3, 2), retention_days=91)
    assert [(g.unmet, g.near_station, g.mean_open_m) for g in gaps] == [(6, True, None)]  # nothing open at 22:00


def test_imported_points_weigh_in_every_hour(demand: TestClient, session: Session) -> None:
    session.execute(text("INSERT INTO demand_points (name, weight, adcode, geom, imported_by) VALUES "
                         "('快递分拨中心', 2, '620102', ST_SetSRID(ST_MakePoint(103.832, 36.062), 4326), 't')"))
    assert _coverage(session, hour=3).whole.near_open == 2
    assert _coverage(session).whole.demand == 45 + 2 * 168
