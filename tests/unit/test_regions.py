"""Region codes: 6-digit adcodes with a real province prefix."""

from __future__ import annotations

import pytest

from stations.errors import InvalidRegion
from stations.regions import province_of, validate_adcode


@pytest.mark.parametrize("code", ["620102", "110105", "469001", "810000"])
def test_real_adcodes_are_accepted(code: str) -> None:
    assert validate_adcode(code) == code


def test_full_width_digits_are_normalised() -> None:
    assert validate_adcode("６２０１０２") == "620102"
    assert province_of("620102") == "甘肃省"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("999999", "99 is no province"),
        ("62010", "must be 6 digits"),
        ("62a102", "must be 6 digits"),
        ("620012", "city digits 00"),
    ],
)
def test_bad_adcodes_are_rejected_with_the_reason(code: str, message: str) -> None:
    with pytest.raises(InvalidRegion, match=message):
        validate_adcode(code)
