"""The packed point WKB against shapely's, and reading it back (seeding and import build one per station)."""

from __future__ import annotations

from geoalchemy2.shape import from_shape, to_shape
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import Point

from stations.geo.shapes import lonlat, point_element

LON = st.floats(min_value=-180, max_value=180, allow_nan=False)
LAT = st.floats(min_value=-90, max_value=90, allow_nan=False)


@given(LON, LAT)
def test_point_element_is_shapelys_wkb_byte_for_byte(lon: float, lat: float) -> None:
    packed, shaped = point_element(lon, lat), from_shape(Point(lon, lat), srid=4326)
    assert bytes(packed.data) == bytes(shaped.data)
    assert (packed.srid, packed.extended) == (shaped.srid, shaped.extended)


@given(LON, LAT)
def test_lonlat_reads_back_what_point_element_and_shapely_wrote(lon: float, lat: float) -> None:
    assert lonlat(point_element(lon, lat)) == (lon, lat) == lonlat(from_shape(Point(lon, lat), srid=4326))


def test_lonlat_of_extended_wkb_takes_the_general_path() -> None:
    extended = from_shape(Point(116.4, 39.9), srid=4326, extended=True)
    assert lonlat(extended) == (116.4, 39.9) == (to_shape(extended).x, to_shape(extended).y)
