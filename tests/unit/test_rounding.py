"""shapes.rounded: the cheap rounding of reply coordinates and distances, against Python's own `round`."""

from __future__ import annotations

import math
from decimal import Decimal

import orjson
from hypothesis import example, given
from hypothesis import strategies as st

from stations.geo.shapes import geojson_point, rounded

values = st.one_of(st.floats(-180, 180), st.floats(0, 200_000))  # coordinates, and distances in metres
digits = st.integers(1, 9)  # 0 decimals still print as "3.0"


@given(values, digits)
@example(116.40114123456789, 7)
@example(0.00000005, 7)
@example(1234.55, 1)
def test_rounded_prints_at_most_the_asked_decimals(value: float, places: int) -> None:
    for text in (repr(rounded(value, places)), orjson.dumps(rounded(value, places)).decode()):
        exponent = Decimal(text).as_tuple().exponent
        assert isinstance(exponent, int) and exponent >= -places, text


@given(values, digits)
@example(16384.2534496745, 9)  # scaled, it lands on a half: up by half a unit and a fraction of the value's ulp
def test_rounded_is_within_half_a_unit_of_the_value(value: float, places: int) -> None:
    # Scaling and dividing each round once more, so the bound carries the value's own float spacing (ulp).
    assert abs(rounded(value, places) - value) <= 0.5 / 10**places + 2 * math.ulp(value)


@given(values, digits)
@example(65536.923828125, 8)  # an exact half in binary: round gives ...12 (even), ours ...13
def test_rounded_equals_round_away_from_halves(value: float, places: int) -> None:
    scaled = value * 10**places
    ours = rounded(value, places)
    # `scaled` is itself off by up to half its ulp (0.002 at 1.6e13), so "a half" is judged with that margin.
    if abs(scaled % 1 - 0.5) > 1e-6 + 2 * math.ulp(scaled):
        assert ours == round(value, places)
    else:  # at a half, round goes to even and ours up: one unit apart at most (each the float nearest its decimal)
        assert abs(ours - round(value, places)) <= 1 / 10**places + 2 * math.ulp(value)


def test_reply_points_keep_seven_decimals() -> None:
    assert geojson_point(116.40114123456789, 39.90278987654321) == {
        "type": "Point", "coordinates": [116.4011412, 39.9027899]}
