"""Nearest lookup on PostGIS: exact geodesic ranking, the indexes used, filters honest."""

from __future__ import annotations

import math
import random
from datetime import datetime

import orjson
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.geo.crs import Crs
from stations.geo.geodesy import distance_m
from stations.geo.validation import in_china
from stations.hours import SHANGHAI, is_open, known_years, package_calendar, parse_hours
from stations.nearest import make_query
from stations.nearest.reply import feature_collection
from stations.reference import Kind
from tests.support import Lookups, Registry

MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=SHANGHAI)
# Far west (Kashgar), far north (Mohe), and two dense cities: degree-based ranking fails most in the first two.
CENTRES = [(75.99, 39.47), (122.53, 52.97), (116.40, 39.90), (121.47, 31.23), (103.83, 36.06)]
KINDS = list(Kind)
AMENITY_SETS = [["drinking_water"], ["drinking_water", "microwave"], ["toilet"], []]
HOURS = ["24/7", "Mo-Fr 09:00-17:00", "Mo-Su 20:00-02:00", "Sa-Su 10:00-16:00"]


INSERT = text(
    "INSERT INTO stations (kind, name, address, adcode, geom, hours, amenities, status, sign_code, site_id) "
    "VALUES (:kind, :name, '示例地址', '110101', ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :hours, "
    ":amenities, :status, 'T-' || left(md5(random()::text), 20), :site_id) RETURNING id"
)


def insert_station(
    target: Session | Registry, *, lon: float, lat: float, kind: Kind = Kind.OUTDOOR_STATION, name: str = "示例站",
    amenities: list[str] | None = None, hours: str = "24/7", status: str = "active", site_id: int | None = None,
) -> int:
    """Insert one station row directly (fast), returning its id: committed through a `Registry` (what the nearest
    lookup's read pool sees), or in a test's session (what its SQLAlchemy reads see)."""
    params = {"kind": kind.value, "name": name, "lon": lon, "lat": lat, "hours": hours,
              "amenities": amenities or [], "status": status, "site_id": site_id}
    if isinstance(target, Registry):
        return target.insert(INSERT, params)
    return int(target.execute(INSERT, params).scalar_one())


@pytest.fixture
def scattered(registry: Registry) -> list[dict[str, object]]:
    """600 stations around far-west, far-north and dense centres with mixed kinds, amenities and hours."""
    rng = random.Random(7)
    rows = []
    for i in range(600):
        clon, clat = CENTRES[i % len(CENTRES)]
        lon, lat = clon + rng.gauss(0, 0.08), clat + rng.gauss(0, 0.06)
        kind, amenities, hours = rng.choice(KINDS), rng.choice(AMENITY_SETS), rng.choice(HOURS)
        sid = insert_station(registry, lon=lon, lat=lat, kind=kind, amenities=amenities, hours=hours)
        rows.append({"id": sid, "lon": lon, "lat": lat, "kind": kind, "amenities": amenities, "hours": hours})
    return rows


def brute_force(rows: list[dict[str, object]], lon: float, lat: float, k: int, **match: object) -> list[int]:
    """The reference: every matching station's Karney geodesic distance, sorted."""
    def ok(r: dict[str, object]) -> bool:
        kinds, at, radius = match.get("kinds"), match.get("open_at"), match.get("radius_m")
        wanted = set(match.get("amenities") or [])  # type: ignore[call-overload]
        if at is not None and not is_open(parse_hours(r["hours"]), at=at):  # type: ignore[arg-type]
            return False
        if radius is not None and distance_m(lon, lat, r["lon"], r["lat"]) > radius:  # type: ignore[arg-type,operator]
            return False
        return (not kinds or r["kind"] in kinds) and wanted <= set(r["amenities"])  # type: ignore[operator,call-overload]

    ranked = sorted((distance_m(lon, lat, r["lon"], r["lat"]), r["id"]) for r in rows if ok(r))  # type: ignore[arg-type]
    return [sid for _, sid in ranked[:k]]


@settings(max_examples=60)
@given(
    centre=st.sampled_from(CENTRES), dlon=st.floats(-0.3, 0.3), dlat=st.floats(-0.2, 0.2),
    k=st.integers(1, 25), kinds=st.sets(st.sampled_from(KINDS), max_size=2),
    amenities=st.sampled_from([(), ("drinking_water",), ("drinking_water", "microwave")]),
    radius=st.one_of(st.none(), st.floats(300, 30_000)),
)
def test_ranking_equals_brute_force_geodesic_ranking(
    lookups: Lookups, scattered: list[dict[str, object]], centre: tuple[float, float], dlon: float, dlat: float,
    k: int, kinds: set[Kind], amenities: tuple[str, ...], radius: float | None,
) -> None:
    lon, lat = centre[0] + dlon, centre[1] + dlat
    query = make_query(lon=lon, lat=lat, crs=Crs.WGS84, at=MONDAY_NOON, kinds=sorted(kinds),
                               amenities=amenities, limit=k, radius_m=radius)
    got = lookups.find(query)
    assert [r.row["id"] for r in got] == brute_force(scattered, lon, lat, k, kinds=kinds, amenities=amenities,
                                                     radius_m=radius)
    for item in got:
        row = next(r for r in scattered if r["id"] == item.row["id"])
        assert item.distance_m == pytest.approx(distance_m(lon, lat, row["lon"], row["lat"]), abs=0.01)  # type: ignore[arg-type]


@settings(max_examples=60)
@given(centre=st.sampled_from(CENTRES), dlon=st.floats(-0.3, 0.3), dlat=st.floats(-0.2, 0.2),
       k=st.integers(5, 25), radius=st.floats(300, 30_000))
def test_radius_lookups_equal_brute_force_where_few_stations_lie_within(
    lookups: Lookups, scattered: list[dict[str, object]], centre: tuple[float, float], dlon: float, dlat: float,
    k: int, radius: float,
) -> None:
    """Often fewer than `limit` stations lie within the radius: then the lookup's box probe also meets stations
    outside the circle (in the box's corners), and none of them may be returned."""
    lon, lat = centre[0] + dlon, centre[1] + dlat
    query = make_query(lon=lon, lat=lat, crs=Crs.WGS84, at=MONDAY_NOON, limit=k, radius_m=radius)
    got = lookups.find(query)
    assert [r.row["id"] for r in got] == brute_force(scattered, lon, lat, k, radius_m=radius)


@settings(max_examples=60)
@given(
    lon=st.floats(73.5, 135.0), lat=st.floats(18.0, 53.5), near=st.sampled_from(CENTRES), ring=st.floats(0.2, 3.0),
    bearing=st.floats(0, 360), rural=st.booleans(), k=st.integers(1, 25),
    kinds=st.sets(st.sampled_from(KINDS), max_size=2),
)
def test_ranking_away_from_city_centres_equals_brute_force(
    lookups: Lookups, scattered: list[dict[str, object]], lon: float, lat: float, near: tuple[float, float],
    ring: float, bearing: float, rural: bool, k: int, kinds: set[Kind],
) -> None:
    """Where riders are, not only where stations are: anywhere in the country (the nearest cluster hundreds of km
    away) or on a ring 0.2-3 degrees around a dense cluster, where the k-th nearest lies at the cluster's edge."""
    if not rural:
        lon = near[0] + ring * math.cos(math.radians(bearing)) / math.cos(math.radians(near[1]))
        lat = near[1] + ring * math.sin(math.radians(bearing))
    assume(in_china(lon, lat))
    query = make_query(lon=lon, lat=lat, crs=Crs.WGS84, at=MONDAY_NOON, kinds=sorted(kinds), limit=k)
    assert [r.row["id"] for r in lookups.find(query)] == brute_force(scattered, lon, lat, k, kinds=kinds)


MOMENTS = [MONDAY_NOON, datetime(2026, 3, 2, 23, 30, tzinfo=SHANGHAI), datetime(2026, 3, 7, 11, 0, tzinfo=SHANGHAI),
           datetime(2025, 10, 2, 10, 0, tzinfo=SHANGHAI)]  # weekday noon and night, Saturday, National Day


@settings(max_examples=40)
@given(centre=st.sampled_from(CENTRES), dlon=st.floats(-0.3, 0.3), dlat=st.floats(-0.2, 0.2),
       k=st.integers(1, 25), at=st.sampled_from(MOMENTS))
def test_open_filter_equals_brute_force_before_and_after_learning_timetables(
    lookups: Lookups, scattered: list[dict[str, object]], centre: tuple[float, float],
    dlon: float, dlat: float, k: int, at: datetime,
) -> None:
    lon, lat = centre[0] + dlon, centre[1] + dlat
    query = make_query(lon=lon, lat=lat, crs=Crs.WGS84, at=at, open_only=True, limit=k)
    expected = brute_force(scattered, lon, lat, k, open_at=at)
    first = [r.row["id"] for r in lookups.find(query)]
    assert lookups.nearest.caches.learned()  # the first lookup taught the process the timetables it met
    assert first == expected == [r.row["id"] for r in lookups.find(query)]


def test_a_reset_forgets_and_the_next_lookups_learn_again(registry: Registry, lookups: Lookups) -> None:
    """`NearestCaches.reset()` is a fresh process: nothing learned, and learning resumes within the same minute."""
    insert_station(registry, lon=116.400, lat=39.900, hours="Mo-Fr 09:00-17:00")
    query = make_query(lon=116.4, lat=39.9, crs=Crs.WGS84, at=MONDAY_NOON, limit=1)
    caches = lookups.nearest.caches
    lookups.find(query)
    assert caches.learned() and caches.states(MONDAY_NOON, package_calendar())
    caches.reset()
    assert not caches.learned() and not caches.states(MONDAY_NOON, package_calendar())
    lookups.find(query)
    assert caches.open_timetables(MONDAY_NOON, package_calendar()) == (["Mo-Fr 09:00-17:00\x1f"],
                                                                        ["Mo-Fr 09:00-17:00\x1f"])


def test_a_timetable_not_learned_yet_is_still_checked_not_dropped(registry: Registry, lookups: Lookups) -> None:
    insert_station(registry, lon=116.400, lat=39.900, hours="Sa-Su 10:00-16:00")  # nearest, closed on Monday
    query = make_query(lon=116.4, lat=39.9, crs=Crs.WGS84, at=MONDAY_NOON, open_only=True, limit=1)
    assert lookups.find(query) == []
    known = lookups.nearest.caches.open_timetables(MONDAY_NOON, package_calendar())[1]
    assert len(known) == 1  # learned: known, and closed at Monday noon
    newcomer = insert_station(registry, lon=116.401, lat=39.900, hours="Mo 11:00-13:00")  # a timetable never seen
    assert [r.row["id"] for r in lookups.find(query)] == [newcomer]


def test_true_nearest_wins_where_degrees_mislead(session: Session, registry: Registry, lookups: Lookups) -> None:
    # At 52.9N a degree of longitude is ~67 km, of latitude ~111 km: 0.010 deg east is nearer than 0.008 north.
    east = insert_station(registry, lon=122.540, lat=52.970, name="东")
    north = insert_station(registry, lon=122.530, lat=52.978, name="北")
    planar_first = session.execute(
        text(
            "SELECT id FROM stations WHERE id IN (:a, :b) "
            "ORDER BY geom <-> ST_SetSRID(ST_MakePoint(122.53, 52.97), 4326) LIMIT 1"
        ),
        {"a": east, "b": north},
    ).scalar_one()
    assert planar_first == north  # the trap is real
    query = make_query(lon=122.53, lat=52.97, crs=Crs.WGS84, at=MONDAY_NOON, limit=2)
    assert [r.row["id"] for r in lookups.find(query)] == [east, north]


def test_a_crowd_at_the_kth_distance_is_ranked_whole(registry: Registry, lookups: Lookups) -> None:
    """Thirty stations in one spot 60 km away, more than the straight-line scan fetches: the ten returned are the
    ten lowest ids among them (ties go by id), which only reading every station of the crowd can tell."""
    crowd = [insert_station(registry, lon=100.7, lat=30.0) for _ in range(30)]
    insert_station(registry, lon=101.5, lat=30.0)  # ~140 km east: never among them
    query = make_query(lon=100.08, lat=30.0, crs=Crs.WGS84, at=MONDAY_NOON, limit=10)
    assert [r.row["id"] for r in lookups.find(query)] == sorted(crowd)[:10]


@settings(max_examples=80)
@given(lon=st.floats(73.5, 135.0), lat=st.floats(18.0, 53.5), dlon=st.floats(-12, 12), dlat=st.floats(-12, 12))
def test_the_straight_line_never_exceeds_the_geodesic(session: Session, lon: float, lat: float, dlon: float,
                                                      dlat: float) -> None:
    """What makes the unfiltered lookup exact (migration 0026): a station's straight-line metres through the
    ellipsoid are never more than its spheroid metres, and never less than a circle's chord for an arc of that length
    whose radius is the ellipsoid's least radius of curvature (Schur's comparison: 28 m short at 300 km)."""
    other = (lon + dlon, max(-89.0, min(89.0, lat + dlat)))
    chord, metres = session.execute(text(
        "SELECT ecef(a) <<->> ecef(b), ST_Distance(geography(a), geography(b)) FROM "
        "(SELECT ST_SetSRID(ST_MakePoint(:x1, :y1), 4326) AS a, ST_SetSRID(ST_MakePoint(:x2, :y2), 4326) AS b) AS p"),
        {"x1": lon, "y1": lat, "x2": other[0], "y2": other[1]}).one()
    assert chord <= metres + 1e-6
    least = 6_335_439.327  # b^2 / a: the meridian radius at the equator
    assert chord >= 2 * least * math.sin(metres / (2 * least)) - 1e-6


def test_radius_excludes_farther_stations(registry: Registry, lookups: Lookups) -> None:
    near = insert_station(registry, lon=116.400, lat=39.900)
    insert_station(registry, lon=116.430, lat=39.900)  # ~2.6 km east
    query = make_query(lon=116.4, lat=39.9005, crs=Crs.WGS84, at=MONDAY_NOON, radius_m=1000, limit=10)
    assert [r.row["id"] for r in lookups.find(query)] == [near]


def test_open_filter_still_fills_the_limit(registry: Registry, lookups: Lookups) -> None:
    for i in range(30):  # nearer, but closed on a Monday noon
        insert_station(registry, lon=116.40 + i * 1e-4, lat=39.9, hours="Sa-Su 10:00-16:00")
    open_ids = [insert_station(registry, lon=116.41 + i * 1e-4, lat=39.9, hours="Mo-Fr 09:00-17:00") for i in range(5)]
    query = make_query(lon=116.40, lat=39.9, crs=Crs.WGS84, at=MONDAY_NOON, open_only=True, limit=5)
    got = [r.row["id"] for r in lookups.find(query)]
    assert got == open_ids


def test_closed_stations_are_never_returned(registry: Registry, lookups: Lookups) -> None:
    insert_station(registry, lon=116.40, lat=39.90, status="closed")
    kept = insert_station(registry, lon=116.41, lat=39.90, status="temporarily_closed")
    query = make_query(lon=116.40, lat=39.90, crs=Crs.WGS84, at=MONDAY_NOON, limit=5)
    results = lookups.find(query)
    assert [r.row["id"] for r in results] == [kept]
    assert results[0].opening.open is False


def test_group_by_site_returns_a_place_once(registry: Registry, lookups: Lookups) -> None:
    site = registry.insert_site()
    ids = [insert_station(registry, lon=116.40, lat=39.90, kind=k, site_id=site) for k in Kind]
    other = insert_station(registry, lon=116.41, lat=39.90)
    query = make_query(lon=116.40, lat=39.90, crs=Crs.WGS84, at=MONDAY_NOON, limit=2, group_by_site=True)
    results = lookups.find(query)
    assert [r.row["id"] for r in results] == [ids[0], other]
    assert [r["id"] for r in results[0].colocated] == ids[1:]


PLANNABLE_STATIONS = (
    "INSERT INTO stations (kind, name, address, adcode, geom, amenities, sign_code) "
    "SELECT (ARRAY['outdoor_station','mothers_room','reading_room'])[1 + i % 3], '示例', '示例', '110101', "
    "ST_SetSRID(ST_MakePoint(116 + random(), 39.5 + random()), 4326), "
    "CASE WHEN i % 2 = 0 THEN ARRAY['toilet','drinking_water'] ELSE ARRAY['drinking_water'] END, 'P-' || i "
    "FROM generate_series(1, 20000) AS i"
)
"""20,000 stations around Beijing: enough rows (after ANALYZE) for the planner to weigh the indexes as it would."""


def test_a_year_without_holiday_data_answers_unknown_where_a_holiday_would_decide(
    registry: Registry, lookups: Lookups
) -> None:
    holiday_hours = insert_station(registry, lon=103.8343, lat=36.0611, hours="Mo-Fr 09:00-17:00; PH closed")
    always = insert_station(registry, lon=103.8443, lat=36.0611, hours="24/7")
    at = datetime(known_years()[1] + 1, 3, 2, 10, 0, tzinfo=SHANGHAI)
    query = make_query(lon=103.834, lat=36.061, crs=Crs.WGS84, at=at)
    body = orjson.loads(orjson.dumps(feature_collection(lookups.find(query), query=query,
                                                        caches=lookups.nearest.caches)))
    opens = {f["id"]: tuple(f["properties"][k] for k in ("open", "staffed_now", "hours_confidence"))
             for f in body["features"]}
    # A Tuesday of a year whose notice is not loaded may still be made a holiday: unknown, not a guessed answer.
    assert opens == {holiday_hours: (None, None, "provisional"), always: (True, True, "certain")}
    open_filter = make_query(lon=103.834, lat=36.061, crs=Crs.WGS84, at=at, open_only=True)
    assert {r.row["id"] for r in lookups.find(open_filter)} == {holiday_hours, always}


def test_opening_follows_the_minute_from_one_lookup_to_the_next(registry: Registry, lookups: Lookups) -> None:
    """States are shared by a minute's lookups (`NearestCaches.states`): the next minute is evaluated afresh."""
    closes = insert_station(registry, lon=103.8343, lat=36.0611, hours="Mo-Su 08:00-12:30")

    def open_at(hour: int, minute: int, second: int) -> bool | None:
        at = datetime(2026, 3, 2, hour, minute, second, tzinfo=SHANGHAI)
        query = make_query(lon=103.834, lat=36.061, crs=Crs.WGS84, at=at)
        [only] = [r for r in lookups.find(query) if r.row["id"] == closes]
        return only.opening.open

    moments = [(12, 29, 5), (12, 29, 55), (12, 30, 0), (12, 29, 30), (12, 30, 59)]
    assert [open_at(*moment) for moment in moments] == [True, True, False, True, False]


def test_timetables_beyond_a_minutes_share_are_still_evaluated(
    registry: Registry, lookups: Lookups, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past `STATES_PER_MINUTE` distinct timetables in a minute, states are computed for each row, not guessed."""
    caches = lookups.nearest.caches
    monkeypatch.setattr(caches, "STATES_PER_MINUTE", 1)
    hours = ["Mo-Su 08:00-12:30", "Mo-Su 12:30-20:00", "24/7", "Mo-Su 13:00-14:00"]
    ids = [insert_station(registry, lon=103.8343 + i / 1000, lat=36.0611, hours=h) for i, h in enumerate(hours)]
    at = datetime(2026, 3, 2, 12, 45, tzinfo=SHANGHAI)
    query = make_query(lon=103.834, lat=36.061, crs=Crs.WGS84, at=at)
    opens = {r.row["id"]: r.opening.open for r in lookups.find(query)}
    assert [opens[i] for i in ids] == [False, True, True, False]
    assert len(caches.states(at, package_calendar())) == 1
