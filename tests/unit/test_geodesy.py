"""Geodesic distance on the WGS-84 ellipsoid and the walking / riding minutes derived from it."""

from __future__ import annotations

import math

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given
from hypothesis import strategies as st

from stations.geo.geodesy import circle_box, distance_m, riding_minutes, walking_minutes

BEIJING = (116.3912757, 39.9075)  # Tiananmen
SHANGHAI = (121.4737, 31.2304)  # People's Square
points = st.tuples(st.floats(-180, 180), st.floats(-90, 90))
china_points = st.tuples(st.floats(73.4, 135.1), st.floats(3.8, 53.6))
distances = st.floats(0, 1e7)


def test_one_degree_of_latitude_at_the_equator() -> None:
    assert distance_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(110_574.389, abs=0.01)


def test_one_degree_of_longitude_at_the_equator() -> None:
    assert distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111_319.491, abs=0.01)


def test_the_ellipsoid_is_flattened() -> None:
    """A sphere would give the same length for a degree of latitude at the equator and the pole."""
    at_pole, at_equator = distance_m(0.0, 89.0, 0.0, 90.0), distance_m(0.0, 0.0, 0.0, 1.0)
    assert at_pole - at_equator == pytest.approx(1_119.5, abs=0.5)


def test_half_meridian_through_the_poles() -> None:
    assert distance_m(0.0, 0.0, 180.0, 0.0) == pytest.approx(20_003_931.4586, abs=0.001)


def test_beijing_to_shanghai() -> None:
    assert distance_m(*BEIJING, *SHANGHAI) == pytest.approx(1_067_000, abs=1_000)


def test_a_point_is_at_zero_distance_from_itself() -> None:
    assert distance_m(*BEIJING, *BEIJING) == 0.0


@given(points, points)
def test_distance_is_symmetric_and_non_negative(a: tuple[float, float], b: tuple[float, float]) -> None:
    there = distance_m(*a, *b)
    assert there >= 0.0
    assert there == pytest.approx(distance_m(*b, *a), abs=1e-6)
    assert there <= 20_003_931.5  # nothing is farther than half a meridian


@given(china_points, china_points, china_points)
def test_triangle_inequality(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> None:
    assert distance_m(*a, *c) <= distance_m(*a, *b) + distance_m(*b, *c) + 1e-6


@pytest.mark.parametrize(
    ("metres", "minutes"),
    [(0, 1), (83, 1), (84, 2), (1_000, 12), (5_000, 60), (5_000.01, 61)],
)
def test_walking_minutes_at_5_km_per_hour(metres: float, minutes: int) -> None:
    assert walking_minutes(metres) == minutes


@pytest.mark.parametrize(
    ("metres", "minutes"),
    [(0, 1), (250, 1), (251, 2), (1_000, 4), (15_000, 60), (15_000.01, 61)],
)
def test_riding_minutes_at_15_km_per_hour(metres: float, minutes: int) -> None:
    assert riding_minutes(metres) == minutes


@given(distances)
def test_minutes_cover_the_distance_and_riding_is_never_slower(metres: float) -> None:
    walk, ride = walking_minutes(metres), riding_minutes(metres)
    assert walk * 5_000 / 60 >= metres - 1e-6 and ride * 15_000 / 60 >= metres - 1e-6
    assert 1 <= ride <= walk
    assert walk == 1 or (walk - 1) * 5_000 / 60 <= metres + 1e-6  # rounded up, not padded


@given(distances, distances)
def test_minutes_never_decrease_with_distance(a: float, b: float) -> None:
    near, far = sorted((a, b))
    assert walking_minutes(near) <= walking_minutes(far)
    assert riding_minutes(near) <= riding_minutes(far)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_minutes_reject_impossible_distances(bad: float) -> None:
    with pytest.raises(ValueError, match="distance must be a finite number"):
        walking_minutes(bad)
    with pytest.raises(ValueError, match="distance must be a finite number"):
        riding_minutes(bad)


@given(china_points, st.floats(1, 200_000), st.floats(0, 360))
def test_circle_box_holds_every_point_of_the_circle(centre: tuple[float, float], radius: float, azimuth: float) -> None:
    """The radius filter probes the index with this box: a station inside the circle but outside the box would be
    missed by a `radius_m` lookup."""
    west, south, east, north = circle_box(*centre, radius)
    edge = Geodesic.WGS84.Direct(centre[1], centre[0], azimuth, radius)
    assert west <= edge["lon2"] <= east and south <= edge["lat2"] <= north


@pytest.mark.parametrize("centre", [BEIJING, (87.6, 43.8), (126.6, 53.5), (109.5, 18.2)])  # Ürümqi, Mohe, Sanya
@pytest.mark.parametrize("radius", [50.0, 5_000.0, 200_000.0])
def test_circle_box_is_no_more_than_two_percent_wider_than_the_circle(centre: tuple[float, float],
                                                                     radius: float) -> None:
    """A loose box costs index pages on every radius lookup: each side within 2% of the circle's widest point."""
    west, south, east, north = circle_box(*centre, radius)
    ring = [Geodesic.WGS84.Direct(centre[1], centre[0], azimuth / 4, radius) for azimuth in range(1440)]
    assert max(p["lat2"] for p in ring) - centre[1] == pytest.approx(north - centre[1], rel=0.02)
    assert centre[1] - min(p["lat2"] for p in ring) == pytest.approx(centre[1] - south, rel=0.02)
    assert max(p["lon2"] for p in ring) - centre[0] == pytest.approx(east - centre[0], rel=0.02)
    assert centre[0] - min(p["lon2"] for p in ring) == pytest.approx(centre[0] - west, rel=0.02)


def test_a_circle_around_a_pole_spans_every_longitude() -> None:
    west, south, east, north = circle_box(10.0, 89.9, 20_000)
    assert (west, east, north) == (-180.0, 180.0, 90.0)
    assert south <= Geodesic.WGS84.Direct(89.9, 10.0, 180.0, 20_000)["lat2"] < 89.9
