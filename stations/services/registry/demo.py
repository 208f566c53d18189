"""Deterministic synthetic demo stations clustered around real city centres (names say 示例)."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TypeVar

from stations import divisions
from stations.hours.parse import parse_hours
from stations.reference import DemonstrationLevel, Kind, ListingStatus, Provider, SignCondition, Status

T = TypeVar("T")


def _table(pairs: Iterable[tuple[T, float]]) -> tuple[tuple[T, float], ...]:
    """Turn (value, weight) pairs into (value, cumulative probability) pairs for `_pick`."""
    items = list(pairs)
    total, running, table = sum(weight for _, weight in items), 0.0, []
    for value, weight in items:
        running += weight / total
        table.append((value, running))
    return tuple(table)


def _pick(rng: random.Random, table: tuple[tuple[T, float], ...]) -> T:
    """Draw a value from a `_table` (one random number, no list building)."""
    roll = rng.random()
    for value, bound in table:
        if roll < bound:
            return value
    return table[-1][0]


CITIES_FILE = Path(__file__).resolve().parents[3] / "data" / "demo_cities.json"
ANCHOR = date(2026, 11, 1)
"""Fixed 'today' of the demo data, so dates do not depend on when it is generated."""
SIGN_STANDARD = "全总统一标识 2023版"
KM_PER_DEG_LAT = 111.32
KIND_NAMES = {Kind.OUTDOOR_STATION: "户外劳动者驿站", Kind.MOTHERS_ROOM: "爱心妈妈小屋", Kind.READING_ROOM: "职工书屋"}
# Single-function sites; with ~5% co-located sites (each an outdoor station plus a mothers' room
# and/or a reading room) the overall mix comes out near 75% / 15% / 10%.
SINGLE_KINDS = _table(((Kind.OUTDOOR_STATION, 79.2), (Kind.MOTHERS_ROOM, 13.2), (Kind.READING_ROOM, 7.6)))
COLOCATED_SHARE = 0.05
COLOCATED_EXTRAS = ((Kind.MOTHERS_ROOM,), (Kind.READING_ROOM,), (Kind.MOTHERS_ROOM, Kind.READING_ROOM))

AMENITY_ODDS: dict[Kind, dict[str, float]] = {
    Kind.OUTDOOR_STATION: {
        "drinking_water": 0.98, "seating": 0.95, "phone_charging": 0.8, "air_conditioning": 0.75,
        "microwave": 0.7, "first_aid": 0.65, "hot_water": 0.6, "wifi": 0.6, "toilet": 0.55, "heating": 0.5,
        "rain_gear": 0.4, "ebike_charging": 0.3, "books": 0.3, "refrigerator": 0.3, "repair_kit": 0.25,
        "legal_aid": 0.1, "meals": 0.08, "battery_swap": 0.05, "aed": 0.05,
    },
    Kind.MOTHERS_ROOM: {
        "nursing_chair": 0.95, "lockable_door": 0.9, "power_outlet": 0.9, "air_conditioning": 0.8,
        "refrigerator": 0.7, "seating": 0.7, "sink": 0.6, "privacy_curtain": 0.6, "hot_water": 0.6,
        "changing_table": 0.5, "drinking_water": 0.5, "wifi": 0.4, "heating": 0.3, "phone_charging": 0.3,
        "toilet": 0.2,
    },
    Kind.READING_ROOM: {
        "books": 1.0, "seating": 0.95, "wifi": 0.8, "air_conditioning": 0.8, "periodicals": 0.7,
        "study_desk": 0.6, "drinking_water": 0.6, "e_reading": 0.5, "heating": 0.4, "phone_charging": 0.4,
        "computer": 0.3, "toilet": 0.3,
    },
}
# Stored in the registry's normalised spelling (parse_hours turns "PH off" into "PH closed"), so COPY-loaded
# rows read exactly like rows written through the station service.
HOURS: dict[Kind, tuple[str, ...]] = {kind: tuple(parse_hours(h).text for h in hours) for kind, hours in {
    Kind.OUTDOOR_STATION: (
        "24/7", "Mo-Su 08:00-22:00", "Mo-Su 07:00-21:00; PH 09:00-17:00", "Mo-Su 08:00-20:00",
        "Mo-Fr 08:30-17:30; Sa 09:00-12:00", "Mo-Fr 09:00-17:00; PH off", "Mo-Su 06:00-22:00",
    ),
    Kind.MOTHERS_ROOM: ("Mo-Fr 08:30-17:30; PH off", "Mo-Fr 09:00-17:00; PH off", "Mo-Su 09:00-21:00"),
    Kind.READING_ROOM: (
        "Mo-Fr 09:00-17:00; PH off", "Mo-Su 09:00-21:00", "Tu-Su 09:00-20:00; PH off",
        "Mo-Fr 08:30-17:30; Sa 09:00-12:00",
    ),
}.items()}
SELF_SERVICE_ACCESS = (("qr_scan",), ("face",), ("qr_scan", "face"), ("card",), ("code",))
HOSTS = ("银行网点", "邮政营业所", "通信营业厅", "加油站", "环卫所", "社区服务中心", "物业服务中心", "商场")
ROADS = ("人民路", "解放路", "建设路", "中山路", "和平路", "胜利路", "文化路", "新华路", "光明路", "友谊路")
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
TITLES = ("师傅", "女士", "先生", "站长")
STATUSES = _table(((Status.ACTIVE, 95), (Status.TEMPORARILY_CLOSED, 4), (Status.CLOSED, 1)))
REASONS = {
    Status.TEMPORARILY_CLOSED: ("空调维修中，预计一周内恢复", "场地装修改造", "春节假期暂停", "人员调整"),
    Status.CLOSED: ("场地拆迁", "承办单位搬迁", "已合并至附近站点"),
}
STARS: tuple[tuple[int | None, float], ...] = _table(((None, 30), (1, 1), (2, 6), (3, 28), (4, 25), (5, 10)))
DEMONSTRATION = _table(
    ((DemonstrationLevel.NONE, 85), (DemonstrationLevel.PROVINCIAL, 12), (DemonstrationLevel.NATIONAL, 3))
)
NO_DEMONSTRATION = ((DemonstrationLevel.NONE, 1.0),)
_G, _W, _D, _M = SignCondition.GOOD, SignCondition.WORN, SignCondition.DAMAGED, SignCondition.MISSING
CONDITIONS = _table(((_G, 80), (_W, 12), (_D, 5), (_M, 3)))
_L, _S, _N, _R = (
    ListingStatus.LISTED, ListingStatus.SUBMITTED, ListingStatus.NOT_LISTED, ListingStatus.REJECTED
)
LISTINGS = {
    Provider.AMAP: _table(((_L, 60), (_S, 15), (_N, 20), (_R, 5))),
    Provider.BAIDU: _table(((_L, 50), (_S, 15), (_N, 30), (_R, 5))),
    Provider.TENCENT: _table(((_L, 30), (_S, 10), (_N, 57), (_R, 3))),
}


@dataclass(frozen=True, slots=True)
class District:
    """A county-level region of a demo city."""

    adcode: str
    name: str


@dataclass(frozen=True, slots=True)
class City:
    """A demo city centre (WGS-84) with its districts and scatter."""

    province: str
    city: str
    area_code: str
    lon: float
    lat: float
    weight: float
    sigma_km: float
    max_km: float
    districts: tuple[District, ...]
    city_en: str = ""


@dataclass(frozen=True, slots=True)
class DemoListing:
    """A synthetic listing of one station on one map provider."""

    provider: Provider
    status: ListingStatus
    poi_id: str | None
    last_synced_at: datetime | None


@dataclass(frozen=True, slots=True)
class DemoStation:
    """One synthetic service function; stations sharing `site_key` share a site, point and address."""

    site_key: int
    site_name: str
    kind: Kind
    name: str
    address: str
    adcode: str
    lon: float
    lat: float
    hours: str
    self_service_hours: str | None
    access_methods: tuple[str, ...]
    amenities: tuple[str, ...]
    capacity: int
    area_m2: float
    phone: str
    manager_name: str
    manager_phone: str
    host_unit: str
    managing_union: str
    status: Status
    status_reason: str | None
    star_rating: int | None
    demonstration_level: DemonstrationLevel
    verified_at: date | None
    sign_installed: bool
    sign_installed_at: date | None
    sign_standard: str | None
    sign_condition: SignCondition | None
    listings: tuple[DemoListing, ...]


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a site is: its city, district, point and address."""

    city: City
    district: District
    lon: float
    lat: float
    address: str
    region: str




@cache
def load_cities(path: Path = CITIES_FILE) -> tuple[City, ...]:
    """The demo cities from `data/demo_cities.json`."""
    raw = json.loads(path.read_text(encoding="utf-8"))["cities"]
    return tuple(
        City(
            province=c["province"], city=c["city"], area_code=c["area_code"], lon=c["lon"], lat=c["lat"],
            weight=c["weight"], sigma_km=c["sigma_km"], max_km=c["max_km"],
            districts=tuple(District(d["adcode"], d["name"]) for d in c["districts"]), city_en=c.get("city_en", ""),
        )
        for c in raw
    )


def generate(*, count: int, seed: int) -> Iterator[DemoStation]:
    """Yield `count` synthetic stations; the same seed always yields the same stations."""
    rng = random.Random(seed)
    cities = _table((city, city.weight) for city in load_cities())
    made = site_key = 0
    while made < count:
        site_key += 1
        place = _place(rng, _pick(rng, cities))
        kinds = _site_kinds(rng)[: count - made]
        site_name = f"{place.district.name}示例职工服务阵地 {site_key:04d}" if len(kinds) > 1 else None
        for kind in kinds:
            made += 1
            name = f"{place.district.name}示例{KIND_NAMES[kind]} {made:04d}"
            site = site_name or name
            yield _station(rng, kind=kind, place=place, site_key=site_key, name=name, site_name=site)


def _site_kinds(rng: random.Random) -> tuple[Kind, ...]:
    """The functions of one site: usually one, sometimes an outdoor station with co-located rooms."""
    if rng.random() < COLOCATED_SHARE:
        return (Kind.OUTDOOR_STATION, *rng.choice(COLOCATED_EXTRAS))
    return (_pick(rng, SINGLE_KINDS),)


def _place(rng: random.Random, city: City) -> _Place:
    """A point scattered around the city centre (gaussian, truncated at `max_km`) inside one of the city's listed
    districts (the one it lies in: registry writes check that a point lies in its adcode), and an address."""
    while True:
        dx, dy = rng.gauss(0.0, city.sigma_km), rng.gauss(0.0, city.sigma_km)
        if dx * dx + dy * dy > city.max_km * city.max_km:
            continue
        lat = round(city.lat + dy / KM_PER_DEG_LAT, 7)
        lon = round(city.lon + dx / (KM_PER_DEG_LAT * math.cos(math.radians(city.lat))), 7)
        district = next((d for d in city.districts if divisions.point_in(d.adcode, lon, lat, tolerance_m=0)), None)
        if district is not None:
            break
    region = city.city + ("" if district.name == city.city else district.name)
    province = "" if city.province == city.city else city.province
    address = f"{province}{region}{rng.choice(ROADS)}{rng.randint(1, 999)}号"
    return _Place(city, district, lon, lat, address=address, region=region)


def _station(
    rng: random.Random, *, kind: Kind, place: _Place, site_key: int, name: str, site_name: str
) -> DemoStation:
    """One synthetic function at a place."""
    hours, self_service, access = _hours(rng, kind)
    status = _pick(rng, STATUSES)
    installed = rng.random() < 0.7
    small = kind is Kind.MOTHERS_ROOM
    return DemoStation(
        site_key=site_key, site_name=site_name, kind=kind, name=name, address=place.address,
        adcode=place.district.adcode, lon=place.lon, lat=place.lat, hours=hours,
        self_service_hours=self_service, access_methods=access,
        amenities=tuple(code for code, odds in AMENITY_ODDS[kind].items() if rng.random() < odds),
        capacity=rng.randint(1, 3) if small else rng.randint(4, 40),
        area_m2=round(rng.uniform(6, 20) if small else rng.uniform(12, 200), 1),
        phone=f"{place.city.area_code}-0{rng.randrange(10**6, 10**7)}",
        manager_name=rng.choice(SURNAMES) + rng.choice(TITLES),
        manager_phone=f"100{rng.randrange(10**7, 10**8)}",
        host_unit=f"{place.district.name}示例{rng.choice(HOSTS)}", managing_union=f"{place.region}总工会",
        status=status, status_reason=rng.choice(REASONS[status]) if status in REASONS else None,
        star_rating=_pick(rng, STARS),
        demonstration_level=_pick(rng, DEMONSTRATION if kind is Kind.READING_ROOM else NO_DEMONSTRATION),
        verified_at=None if rng.random() < 0.1 else ANCHOR - timedelta(days=rng.randrange(400)),
        sign_installed=installed,
        sign_installed_at=date(2023, 7, 1) + timedelta(days=rng.randrange(1200)) if installed else None,
        sign_standard=SIGN_STANDARD if installed else None,
        sign_condition=_pick(rng, CONDITIONS) if installed else None,
        listings=tuple(_listing(rng, provider) for provider in Provider),
    )


def _hours(rng: random.Random, kind: Kind) -> tuple[str, str | None, tuple[str, ...]]:
    """Staffed hours, self-service hours and how a worker gets in (QR or face scan after hours)."""
    hours = rng.choice(HOURS[kind])
    if hours != "24/7" and kind is Kind.OUTDOOR_STATION and rng.random() < 0.25:
        return hours, "24/7", rng.choice(SELF_SERVICE_ACCESS)
    return hours, None, ("open_door",)


def _listing(rng: random.Random, provider: Provider) -> DemoListing:
    """A listing status on one provider, with a fake (DEMO-prefixed) POI id when listed."""
    status = _pick(rng, LISTINGS[provider])
    if status is ListingStatus.NOT_LISTED:
        return DemoListing(provider, status, None, None)
    synced = datetime(ANCHOR.year, ANCHOR.month, ANCHOR.day, tzinfo=UTC)
    synced -= timedelta(minutes=rng.randrange(90 * 24 * 60))
    poi_id = f"DEMO-{provider.value}-{rng.getrandbits(48):012x}" if status is ListingStatus.LISTED else None
    return DemoListing(provider, status, poi_id, synced)
