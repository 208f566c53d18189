"""The synthetic demo generator: deterministic, realistic and always valid (no database)."""

from __future__ import annotations

from collections import Counter, defaultdict

import opening_hours
import pytest

from stations import divisions
from stations.geo.geodesy import distance_m
from stations.geo.validation import in_china
from stations.hours.parse import parse_hours
from stations.reference import AccessMethod, Kind, ListingStatus, Provider, Status, amenity_codes
from stations.regions import province_of, validate_adcode
from stations.services.registry.demo import AMENITY_ODDS, HOURS, DemoStation, generate, load_cities

SAMPLE = 3000


@pytest.fixture(scope="module")
def stations() -> list[DemoStation]:
    """A few thousand generated stations, shared by the read-only checks below."""
    return list(generate(count=SAMPLE, seed=42))


def test_same_seed_gives_identical_output_and_other_seeds_differ() -> None:
    assert list(generate(count=400, seed=7)) == list(generate(count=400, seed=7))
    assert list(generate(count=400, seed=7)) != list(generate(count=400, seed=8))


def test_a_shorter_run_is_a_prefix_of_a_longer_one() -> None:
    assert list(generate(count=100, seed=3)) == list(generate(count=250, seed=3))[:100]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 17, 500])
def test_exactly_count_stations(count: int) -> None:
    assert sum(1 for _ in generate(count=count, seed=5)) == count


def test_names_are_unique_and_say_demo(stations: list[DemoStation]) -> None:
    assert all("示例" in s.name and "示例" in s.site_name for s in stations)
    assert len({s.name for s in stations}) == len(stations)


def test_kind_mix_is_realistic(stations: list[DemoStation]) -> None:
    share = {kind: n / len(stations) for kind, n in Counter(s.kind for s in stations).items()}
    assert share[Kind.OUTDOOR_STATION] == pytest.approx(0.75, abs=0.04)
    assert share[Kind.MOTHERS_ROOM] == pytest.approx(0.15, abs=0.03)
    assert share[Kind.READING_ROOM] == pytest.approx(0.10, abs=0.03)


def test_amenity_tables_use_only_the_vocabulary() -> None:
    for kind, odds in AMENITY_ODDS.items():
        assert set(odds) <= amenity_codes(kind), kind


def test_amenities_belong_to_the_kind(stations: list[DemoStation]) -> None:
    for station in stations:
        assert set(station.amenities) <= amenity_codes(station.kind), station.name
    outdoor = [s for s in stations if s.kind is Kind.OUTDOOR_STATION]
    assert sum("drinking_water" in s.amenities for s in outdoor) / len(outdoor) > 0.95


def test_all_hours_are_valid_opening_hours(stations: list[DemoStation]) -> None:
    expressions = {h for hours in HOURS.values() for h in hours}
    expressions |= {s.hours for s in stations} | {s.self_service_hours for s in stations if s.self_service_hours}
    for expression in expressions:
        assert opening_hours.validate(expression), expression
        assert parse_hours(expression).text == expression, "stored as the station service would store it"


def test_self_service_stations_say_how_to_get_in(stations: list[DemoStation]) -> None:
    known = {m.value for m in AccessMethod}
    self_service = [s for s in stations if s.self_service_hours]
    assert self_service, "some stations open by QR or face scan after hours"
    assert all(set(s.access_methods) <= known and s.access_methods for s in stations)
    assert all(s.self_service_hours == "24/7" and "open_door" not in s.access_methods for s in self_service)


def test_points_lie_in_china_near_a_city_centre(stations: list[DemoStation]) -> None:
    cities = load_cities()
    for station in stations:
        assert in_china(station.lon, station.lat), station
        nearest = min(distance_m(station.lon, station.lat, c.lon, c.lat) for c in cities)
        assert nearest < 50_000, station


def test_cities_cover_the_far_west_and_north_with_real_adcodes() -> None:
    cities = load_cities()
    names = {c.city for c in cities}
    assert len(cities) >= 20
    assert {"石家庄市", "保定市", "唐山市", "廊坊市", "兰州市", "天水市", "酒泉市", "北京市", "上海市"} <= names
    assert {"乌鲁木齐市", "喀什市", "哈尔滨市", "漠河市"} <= names
    for city in cities:
        for district in city.districts:
            assert validate_adcode(district.adcode) == district.adcode
            assert province_of(district.adcode) == city.province, (city.city, district)
            assert district.adcode[2:] != "0000", "county-level codes, not provinces"


def test_co_located_sites_share_point_and_address(stations: list[DemoStation]) -> None:
    sites: dict[int, list[DemoStation]] = defaultdict(list)
    for station in stations:
        sites[station.site_key].append(station)
    shared = [group for group in sites.values() if len(group) > 1]
    assert 0.02 < len(shared) / len(sites) < 0.09
    for group in shared:
        assert len({(s.lon, s.lat, s.address, s.adcode, s.site_name) for s in group}) == 1
        assert len({s.kind for s in group}) == len(group) and group[0].kind is Kind.OUTDOOR_STATION


def test_signage_fields_are_consistent(stations: list[DemoStation]) -> None:
    installed = [s for s in stations if s.sign_installed]
    assert 0.65 < len(installed) / len(stations) < 0.75
    assert all(s.sign_installed_at and s.sign_standard == "全总统一标识 2023版" and s.sign_condition for s in installed)
    assert all(not (s.sign_installed_at or s.sign_standard or s.sign_condition)
               for s in stations if not s.sign_installed)


def test_statuses_and_ratings(stations: list[DemoStation]) -> None:
    statuses = Counter(s.status for s in stations)
    assert statuses[Status.ACTIVE] / len(stations) > 0.9
    assert statuses[Status.TEMPORARILY_CLOSED] and statuses[Status.CLOSED]
    assert all((s.status is Status.ACTIVE) == (s.status_reason is None) for s in stations)
    assert {s.star_rating for s in stations} == {None, 1, 2, 3, 4, 5}


def test_listings_mix_per_provider(stations: list[DemoStation]) -> None:
    expected = {Provider.AMAP: 0.60, Provider.BAIDU: 0.50, Provider.TENCENT: 0.30}
    for station in stations:
        assert [listing.provider for listing in station.listings] == list(Provider)
        for listing in station.listings:
            assert (listing.status is ListingStatus.LISTED) == (listing.poi_id is not None)
            assert (listing.status is ListingStatus.NOT_LISTED) == (listing.last_synced_at is None)
    for index, provider in enumerate(Provider):
        listed = sum(s.listings[index].status is ListingStatus.LISTED for s in stations) / len(stations)
        assert listed == pytest.approx(expected[provider], abs=0.04), provider


def test_every_demo_point_lies_in_the_county_its_code_names(stations: list[DemoStation]) -> None:
    """Staff editing a demo station must not be refused for a point the generator put in the wrong county."""
    outside = [s for s in stations if not divisions.point_in(s.adcode, s.lon, s.lat, tolerance_m=0)]
    assert outside == []
    assert len({s.adcode for s in stations}) > 40  # still spread over the cities' districts
