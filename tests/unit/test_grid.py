"""The demand grid: cells of about 500 m anywhere in China, a point inside its own cell, the walking reach."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from stations.geo.geodesy import distance_m
from stations.geo.grid import CELL_M, cell_bounds, cell_centre, cell_of
from stations.geo.walking import REACH_M, reachable, walk_minutes

LON = st.floats(73.5, 135.0)
LAT = st.floats(18.0, 53.5)


@given(LON, LAT)
def test_a_point_lies_in_its_cell(lon: float, lat: float) -> None:
    west, south, east, north = cell_bounds(*cell_of(lon, lat))
    assert west <= lon < east + 1e-9 and south <= lat < north + 1e-9


@given(LON, LAT)
def test_cells_are_about_500_m_on_a_side(lon: float, lat: float) -> None:
    west, south, east, north = cell_bounds(*cell_of(lon, lat))
    middle = (south + north) / 2
    assert abs(distance_m(west, middle, east, middle) - CELL_M) < 0.01 * CELL_M
    assert abs(distance_m(west, south, west, north) - CELL_M) < 0.01 * CELL_M


@given(LON, LAT)
def test_the_centre_is_in_the_same_cell(lon: float, lat: float) -> None:
    cell = cell_of(lon, lat)
    assert cell_of(*cell_centre(*cell)) == cell


def test_reach_is_one_kilometre_and_fifteen_minutes() -> None:
    assert walk_minutes(REACH_M) == 15
    assert reachable(116.0, 40.0, 116.0, 40.0 + 990 / 111_000)
    assert not reachable(116.0, 40.0, 116.0, 40.0 + 1010 / 111_000)
