"""Coordinate validation: each kind of mistake gets its own message a clerk can act on."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stations.errors import InvalidCoordinates
from stations.geo.crs import Crs
from stations.geo.validation import CHINA_BBOX, in_china, parse_coordinate, validate_lonlat

MIN_LON, MIN_LAT, MAX_LON, MAX_LAT = CHINA_BBOX
china_points = st.tuples(st.floats(MIN_LON, MAX_LON), st.floats(MIN_LAT, MAX_LAT))
# Far enough from the box edges that the GCJ-02 / BD-09 shift (< 0.02 degrees) cannot cross them.
inner_points = st.tuples(st.floats(MIN_LON + 0.1, MAX_LON - 0.1), st.floats(MIN_LAT + 0.1, MAX_LAT - 0.1))
FULL_WIDTH = str.maketrans("0123456789.-", "０１２３４５６７８９．－")


def _message(lon: float, lat: float, crs: Crs = Crs.WGS84) -> str:
    """The message `validate_lonlat` raises for this input."""
    with pytest.raises(InvalidCoordinates) as caught:
        validate_lonlat(lon, lat, crs=crs)
    return caught.value.message


@pytest.mark.parametrize(
    ("lon", "lat", "name"),
    [
        (math.nan, 39.9, "longitude"),
        (116.4, math.nan, "latitude"),
        (math.inf, 39.9, "longitude"),
        (116.4, -math.inf, "latitude"),
    ],
)
def test_nan_and_inf_are_not_numbers(lon: float, lat: float, name: str) -> None:
    assert _message(lon, lat).startswith(f"{name} is not a number")


def test_longitude_out_of_range() -> None:
    assert _message(200.0, 30.0).startswith("longitude 200.0 is out of range: longitude must be between -180")


def test_latitude_out_of_range() -> None:
    assert _message(100.0, 95.0).startswith("latitude 95.0 is out of range: latitude must be between -90")


def test_new_york_is_outside_china_with_a_sign_hint() -> None:
    message = _message(-74.006, 40.7128)
    assert message.startswith("point lon=-74.006, lat=40.7128 is outside China")
    assert "did you mean lon=74.006, lat=40.7128?" in message


@pytest.mark.parametrize(("lon", "lat"), [(139.6917, 35.6895), (-0.1276, 51.5072), (100.5018, -13.7563)])
def test_points_outside_china_name_the_allowed_box(lon: float, lat: float) -> None:
    message = _message(lon, lat)
    assert "is outside China" in message
    if lat > 0:  # Bangkok mirrored south is handled by the sign hint instead
        assert "longitude 73.4..135.1 and latitude 3.8..53.6" in message


def test_swapped_values_are_named_before_the_range_error() -> None:
    expected = (
        "latitude 103.8343 and longitude 36.0611 look swapped: give lon first (lon=103.8343, lat=36.0611)"
    )
    assert _message(36.0611, 103.8343) == expected


@given(inner_points)
def test_any_swapped_china_point_is_reported_as_swapped(point: tuple[float, float]) -> None:
    lon, lat = point
    assert "look swapped" in _message(lat, lon)


@given(china_points)
def test_points_in_china_come_back_unchanged_as_floats(point: tuple[float, float]) -> None:
    assert validate_lonlat(*point) == point


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_pair_is_accepted_in_china_or_rejected_with_a_domain_error(lon: float, lat: float) -> None:
    try:
        got = validate_lonlat(lon, lat)
    except InvalidCoordinates as exc:
        assert exc.message
    else:
        assert in_china(*got)


def test_integers_are_returned_as_floats() -> None:
    lon, lat = validate_lonlat(116, 40)
    assert (lon, lat) == (116.0, 40.0)
    assert isinstance(lon, float) and isinstance(lat, float)


def test_crs_is_taken_into_account_at_the_edge_of_china() -> None:
    # GCJ-02 and BD-09 shift the Pamir tip east by ~300 m / ~900 m: this value is in China as
    # WGS-84, but as GCJ-02 or BD-09 it stands for a WGS-84 point west of the box.
    assert validate_lonlat(73.402, 39.3) == (73.402, 39.3)
    assert "(gcj02) is outside China" in _message(73.402, 39.3, Crs.GCJ02)
    assert "(bd09) is outside China" in _message(73.405, 39.3, Crs.BD09)
    assert validate_lonlat(116.397, 39.909, crs=Crs.GCJ02) == (116.397, 39.909)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("103.8343", 103.8343),
        ("１０３．８３４３", 103.8343),
        ("－３６．０６", -36.06),
        ("\u221236.5", -36.5),  # the typographic minus sign
        ("103。83", 103.83),  # the ideographic full stop of Chinese keyboards
        ("\u3000 116.39\t", 116.39),
        ("+39", 39.0),
        (".5", 0.5),
    ],
)
def test_parse_coordinate_accepts_ascii_and_full_width(text: str, value: float) -> None:
    assert parse_coordinate(text) == value


@pytest.mark.parametrize("text", ["abc", "nan", "inf", "1_000", "1e3", "12.3.4", "116.39°", "１２ａ", "--1"])
def test_parse_coordinate_rejects_non_numbers(text: str) -> None:
    with pytest.raises(InvalidCoordinates, match="is not a number: give decimal degrees"):
        parse_coordinate(text)


@pytest.mark.parametrize("text", ["", "   ", "\u3000"])
def test_parse_coordinate_rejects_empty_text(text: str) -> None:
    with pytest.raises(InvalidCoordinates, match="no coordinate given"):
        parse_coordinate(text)


@given(st.floats(-180, 180))
def test_full_width_and_ascii_spellings_parse_to_the_same_value(value: float) -> None:
    ascii_text = f"{value:.7f}"
    assert parse_coordinate(ascii_text) == float(ascii_text)
    assert parse_coordinate(ascii_text.translate(FULL_WIDTH)) == float(ascii_text)
