"""Weather alerts on the nearest lookup (issue 24): hours extended only inside the alert's area and time, fitting
stations first within the stated penalty only while the alert is in force, the exact ranking otherwise, and no
query per lookup for it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine, text

from stations.geo.crs import Crs
from stations.geo.geodesy import distance_m
from stations.hours import SHANGHAI
from stations.nearest import make_query
from stations.nearest.alerts import PENALTY_M
from tests.support import Lookups, Registry

CENTRE = (116.40, 39.90)
START, END = datetime(2026, 7, 20, 10, 0, tzinfo=SHANGHAI), datetime(2026, 7, 21, 20, 0, tzinfo=SHANGHAI)
BEFORE, DURING, AFTER = (datetime(2026, 7, 19, 12, 0, tzinfo=SHANGHAI), datetime(2026, 7, 20, 12, 0, tzinfo=SHANGHAI),
                         datetime(2026, 7, 21, 21, 0, tzinfo=SHANGHAI))
NIGHT_DURING = datetime(2026, 7, 20, 22, 0, tzinfo=SHANGHAI)  # a Monday night inside the alert
NIGHT_AFTER = datetime(2026, 7, 22, 22, 0, tzinfo=SHANGHAI)  # the Wednesday night after it
COOL = ["air_conditioning", "drinking_water"]

INSERT = text(
    "INSERT INTO stations (kind, name, address, adcode, geom, hours, amenities, status, sign_code) "
    "VALUES ('outdoor_station', :name, '示例地址', :adcode, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :hours, "
    ":amenities, 'active', 'T-' || left(md5(random()::text), 20)) RETURNING id")


def east_of(metres: float) -> tuple[float, float]:
    """A point `metres` east of CENTRE (to the centimetre)."""
    lo, hi = CENTRE[0], CENTRE[0] + 0.1
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if distance_m(*CENTRE, mid, CENTRE[1]) < metres else (lo, mid)
    return lo, CENTRE[1]


class World:
    """Stations and alerts committed for the lookup's read pool, removed afterwards."""

    def __init__(self, engine: Engine, registry: Registry) -> None:
        self.engine, self.registry = engine, registry
        self.alerts: list[int] = []

    def station(self, name: str, metres: float, *, adcode: str = "110101", amenities: list[str] | None = None,
                hours: str = "24/7", point: tuple[float, float] | None = None) -> int:
        lon, lat = point or east_of(metres)
        return self.registry.insert(INSERT, {"name": name, "adcode": adcode, "lon": lon, "lat": lat, "hours": hours,
                                             "amenities": amenities or []})

    def mode(self, station_id: int, *, hours: str = "24/7", min_level: str = "orange",
             offers: list[str] | None = None) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("INSERT INTO station_alert_modes (station_id, alert_type, min_level, hours, offers, "
                              "updated_by) VALUES (:s, 'heat', :l, :h, :o, 'test')"),
                         {"s": station_id, "l": min_level, "h": hours, "o": offers or []})

    def alert(self, *, areas: list[str], level: str = "orange") -> int:
        with self.engine.begin() as conn:
            alert_id = int(conn.execute(text(
                "INSERT INTO weather_alerts (identifier, sender, source, alert_type, level, areas, starts_at, ends_at,"
                " headline, created_by) VALUES (md5(random()::text), 'test', 'staff', 'heat', :level, :areas, :s, :e,"
                " '高温橙色预警', 'test') RETURNING id"),
                {"level": level, "areas": areas, "s": START, "e": END}).scalar_one())
        self.alerts.append(alert_id)
        return alert_id

    def clear(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(text("DELETE FROM weather_alerts WHERE id = ANY(:ids)"), {"ids": self.alerts})


@pytest.fixture
def world(engine: Engine, registry: Registry) -> Iterator[World]:
    made = World(engine, registry)
    yield made
    made.clear()


def names(lookups: Lookups, at: datetime, **options: Any) -> list[str]:
    lookups.nearest.caches.reset()
    query = make_query(lon=CENTRE[0], lat=CENTRE[1], crs=Crs.WGS84, at=at, **options)
    return [item.row["name"] for item in lookups.find(query)]


@pytest.fixture
def heat(world: World) -> World:
    """Around CENTRE: a plain station at 100 m, a cool one at 400 m and one at 900 m (past the penalty), a cool one
    at 300 m outside the alert's county, and two day-time stations with a 24-hour heat mode, inside and outside."""
    world.station("plain-100", 100, amenities=["drinking_water"])
    world.station("cool-400", 400, amenities=COOL)
    world.station("cool-900", 900, amenities=COOL)
    world.station("cool-outside-300", 300, adcode="110102", amenities=COOL)
    world.mode(world.station("daytime-200", 200, hours="Mo-Fr 09:00-17:00"))
    world.mode(world.station("daytime-outside-250", 250, adcode="110102", hours="Mo-Fr 09:00-17:00"))
    world.alert(areas=["110101"])
    return world


PLAIN = ["plain-100", "daytime-200", "daytime-outside-250", "cool-outside-300", "cool-400", "cool-900"]


def test_ranking_changes_only_while_the_alert_is_in_force(heat: World, lookups: Lookups) -> None:
    assert names(lookups, BEFORE) == PLAIN
    assert names(lookups, AFTER) == PLAIN
    during = names(lookups, DURING)
    # cool-400 (400 m) beats plain-100 (100 + 500); cool-900 does not (900 > 100 + 500); outside the county no
    # station fits, whatever it has.
    assert during == ["cool-400", "plain-100", "daytime-200", "daytime-outside-250", "cool-outside-300", "cool-900"]
    assert PENALTY_M == 500


def test_hours_are_extended_only_inside_the_alert_area_and_time(heat: World, lookups: Lookups) -> None:
    assert "daytime-200" not in names(lookups, NIGHT_AFTER, open_only=True)
    open_during = names(lookups, NIGHT_DURING, open_only=True)
    assert "daytime-200" in open_during
    assert "daytime-outside-250" not in open_during
    lookups.nearest.caches.reset()
    query = make_query(lon=CENTRE[0], lat=CENTRE[1], crs=Crs.WGS84, at=NIGHT_DURING)
    found = {item.row["name"]: item for item in lookups.find(query)}
    assert found["daytime-200"].opening.open is True
    assert found["daytime-200"].alert is not None and found["daytime-200"].alert.reason == "高温延长开放"
    assert found["daytime-outside-250"].opening.open is False and found["daytime-outside-250"].alert is None


def test_a_mode_below_the_alert_level_does_not_apply(world: World, lookups: Lookups) -> None:
    world.mode(world.station("red-only", 200, hours="Mo-Fr 09:00-17:00"), min_level="red")
    world.alert(areas=["110000"])  # the whole of Beijing, orange
    assert "red-only" not in names(lookups, NIGHT_DURING, open_only=True)


def test_only_fitting_stations_when_asked(heat: World, lookups: Lookups) -> None:
    assert names(lookups, DURING, fits_alert=True) == ["cool-400", "cool-900"]
    assert names(lookups, DURING, fits_alert=True, radius_m=600) == ["cool-400"]
    assert names(lookups, BEFORE, fits_alert=True) == []


def test_a_city_code_covers_its_counties_and_a_mode_offer_makes_a_station_fit(world: World,
                                                                               lookups: Lookups) -> None:
    world.station("plain-100", 100)
    world.mode(world.station("offers-cool-300", 300, adcode="110105"), offers=COOL)
    world.alert(areas=["110000"])
    assert names(lookups, DURING) == ["offers-cool-300", "plain-100"]


def test_the_ranking_during_an_alert_is_exact(world: World, lookups: Lookups) -> None:
    rng = random.Random(24)
    expected: list[tuple[float, int]] = []
    for i in range(300):
        lon, lat = CENTRE[0] + rng.uniform(-0.05, 0.05), CENTRE[1] + rng.uniform(-0.04, 0.04)
        adcode, amenities = rng.choice(["110101", "110102"]), rng.choice([COOL, ["drinking_water"], []])
        sid = world.station(f"s{i}", 0, adcode=adcode, amenities=amenities, point=(lon, lat))
        fits = adcode == "110101" and amenities == COOL
        expected.append((distance_m(*CENTRE, lon, lat) + (0 if fits else PENALTY_M), sid))
    world.alert(areas=["110101"])
    lookups.nearest.caches.reset()
    for limit in (1, 10, 40):
        query = make_query(lon=CENTRE[0], lat=CENTRE[1], crs=Crs.WGS84, at=DURING, limit=limit)
        assert [item.row["id"] for item in lookups.find(query)] == [sid for _, sid in sorted(expected)[:limit]]


class Counting:
    """The lookup's reads, recording each statement it runs."""

    def __init__(self, reads: Any) -> None:
        self.reads = reads
        self.statements: list[str] = []

    async def fetch(self, query: str, *args: Any) -> list[Any]:
        self.statements.append(" ".join(query.split()))
        return await self.reads.fetch(query, *args)  # type: ignore[no-any-return]


def test_lookups_during_an_alert_make_no_extra_query(heat: World, lookups: Lookups) -> None:
    counting = Counting(lookups.nearest.reads)
    lookups.nearest.reads = counting
    try:
        names(lookups, DURING)  # the first lookup after a reset loads the alerts
        loaded = len(counting.statements)
        for _ in range(5):
            lookups.find(make_query(lon=CENTRE[0], lat=CENTRE[1], crs=Crs.WGS84, at=DURING))
        per_lookup = (len(counting.statements) - loaded) / 5
    finally:
        lookups.nearest.reads = counting.reads
    assert per_lookup == 1  # the nearest statement alone
    assert sum("weather_alerts" in s for s in counting.statements) == 1
