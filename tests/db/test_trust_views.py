"""What staff see of trust: the station list worst first, verification freshness per region, the daily refresh."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.hours import SHANGHAI
from stations.services.registry import dashboard
from stations.services.registry import stations as registry
from stations.services.trust import quality
from tests.factories import station_create

TODAY = date(2026, 12, 7)


def test_list_worst_first_and_freshness_per_county(session: Session) -> None:
    fresh = registry.create(session=session, actor="t", data=station_create(name="新核实", phone="0931-1"))
    stale = registry.create(session=session, actor="t", data=station_create(name="久未核实"))
    other = registry.create(session=session, actor="t", data=station_create(name="七里河", adcode="620103"))
    session.execute(text("UPDATE stations SET verified_at = :d WHERE id = ANY(:ids)"),
                    {"d": TODAY - timedelta(days=10), "ids": [fresh.id, other.id]})
    session.execute(text("UPDATE stations SET verified_at = :d WHERE id = :i"),
                    {"d": TODAY - timedelta(days=400), "i": stale.id})
    now = datetime(2026, 12, 7, 9, tzinfo=SHANGHAI)
    assert quality.refresh(session=session, now=now) >= 2  # the two verified 10 days ago gained 30 points
    _, rows = registry.search(session=session, prefix="6201", limit=10, worst_first=True)
    assert [s.id for s in rows if s.id in (fresh.id, stale.id)] == [stale.id, fresh.id]
    assert quality.refresh(session=session, now=now) == 0  # nothing changed since
    counties = {f.region: f for f in dashboard.freshness(session=session, region="6201", today=TODAY)}
    assert (counties["620102"].total, counties["620102"].verified, counties["620102"].share) == (2, 1, 0.5)
    assert counties["620103"].share == 1.0 and counties["620102"].name.endswith("城关区")
    provinces = dashboard.freshness(session=session, region="", today=TODAY)
    assert any(p.region == "62" and p.total >= 3 for p in provinces)
