"""WGS-84 / GCJ-02 / BD-09 conversions: exact round trips and agreement with public references.

References (used here only, never by the package):
* `prcoords` is the primary one: Krasovsky constants, the original 72.004..137.8347 box (same as
  ours) and (lat, lon) tuples. Its plain inverse `gcj_wgs` is the one-step approximation.
* `coordTransform` agrees to the last bit inside its narrower 73.66..135.05 / 3.86..53.55 box, which
  leaves the westernmost tip of Xinjiang unshifted; its inverses are one-step approximations too.
* `eviltransform` is not used: it divides by the WGS-84 semi-major axis (6378137) instead of
  Krasovsky's (6378245), so its GCJ-02 differs from the standard formula by up to ~1.7e-7 degrees.
"""

from __future__ import annotations

import itertools
import math
import warnings

import coordTransform
import prcoords
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from stations.geo.crs import (
    Crs,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    from_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from stations.geo.geodesy import distance_m
from stations.geo.validation import CHINA_BBOX

ROUND_TRIP_M = 0.001  # 1 mm: ten times stricter than the 1 cm the project needs
REFERENCE_DEG = 1e-9  # ~0.1 mm; the formulas agree to ~1e-14 degrees
TIANANMEN_WGS = (116.3912757, 39.9075)
TIANANMEN_GCJ = (116.39751687, 39.90890126)  # prcoords.wgs_gcj and coordTransform agree
TIANANMEN_BD = (116.40388965, 39.91524459)  # prcoords.wgs_bd and coordTransform agree


def _box(
    min_lon: float, min_lat: float, max_lon: float, max_lat: float
) -> st.SearchStrategy[tuple[float, float]]:
    """Points drawn uniformly-ish from a lon/lat box."""
    return st.tuples(st.floats(min_lon, max_lon), st.floats(min_lat, max_lat))


# The whole bbox, plus the far west (Pamir, Kashgar) and far north (Mohe, Fuyuan) drawn on their own.
china_points = st.one_of(
    _box(*CHINA_BBOX),
    _box(73.4, 35.0, 80.0, 42.0),
    _box(118.0, 50.0, 135.1, 53.6),
)
# coordTransform's box, where its forward formula can be compared with ours.
ct_points = _box(73.67, 3.87, 135.04, 53.54)


def _ref_wgs_gcj(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 by prcoords, in (lon, lat) order."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a "non-Chinese coords" warning would mean a skipped shift
        got = prcoords.wgs_gcj((lat, lon))
    return got.lon, got.lat


def _close(a: tuple[float, float], b: tuple[float, float], tol: float) -> bool:
    """True if both components differ by less than `tol` degrees."""
    return abs(a[0] - b[0]) < tol and abs(a[1] - b[1]) < tol


def _error_m(a: tuple[float, float] | list[float], b: tuple[float, float]) -> float:
    """Geodesic distance between two (lon, lat) points in metres."""
    return distance_m(a[0], a[1], b[0], b[1])


@given(china_points)
@example((75.0, 39.5))  # Kashgar, far west Xinjiang
@example((73.5, 39.4))  # the Pamir tip
@example((124.7, 53.5))  # Mohe, far north Heilongjiang
@example((112.3, 3.9))  # Zengmu Ansha, far south
def test_gcj02_round_trip_is_under_a_millimetre(point: tuple[float, float]) -> None:
    back = gcj02_to_wgs84(*wgs84_to_gcj02(*point))
    assert _error_m(back, point) < ROUND_TRIP_M


@given(china_points)
@example((75.0, 39.5))
@example((124.7, 53.5))
def test_bd09_round_trip_is_under_a_millimetre(point: tuple[float, float]) -> None:
    back = bd09_to_wgs84(*wgs84_to_bd09(*point))
    assert _error_m(back, point) < ROUND_TRIP_M


@given(china_points)
def test_gcj02_bd09_round_trip_is_under_a_millimetre(point: tuple[float, float]) -> None:
    back = bd09_to_gcj02(*gcj02_to_bd09(*point))
    assert _error_m(back, point) < ROUND_TRIP_M


@given(china_points)
def test_inverses_solve_the_forward_transform(point: tuple[float, float]) -> None:
    assert _close(wgs84_to_gcj02(*gcj02_to_wgs84(*point)), point, 1e-8)
    assert _close(wgs84_to_bd09(*bd09_to_wgs84(*point)), point, 1e-8)


@given(china_points)
@example((73.5, 39.4))
def test_wgs84_to_gcj02_matches_prcoords(point: tuple[float, float]) -> None:
    assert _close(wgs84_to_gcj02(*point), _ref_wgs_gcj(*point), REFERENCE_DEG)


@given(ct_points)
def test_wgs84_to_gcj02_and_bd09_match_coordtransform(point: tuple[float, float]) -> None:
    assert _close(wgs84_to_gcj02(*point), tuple(coordTransform.wgs84_to_gcj02(*point)), REFERENCE_DEG)
    assert _close(wgs84_to_bd09(*point), tuple(coordTransform.wgs84_to_bd09(*point)), REFERENCE_DEG)


@given(china_points)
def test_gcj02_to_bd09_matches_both_references(point: tuple[float, float]) -> None:
    ours = gcj02_to_bd09(*point)
    ref = prcoords.gcj_bd((point[1], point[0]))
    assert _close(ours, (ref.lon, ref.lat), REFERENCE_DEG)
    assert _close(ours, tuple(coordTransform.gcj02_to_bd09(*point)), REFERENCE_DEG)


def test_tiananmen_known_values() -> None:
    assert _close(wgs84_to_gcj02(*TIANANMEN_WGS), TIANANMEN_GCJ, 1e-8)
    assert _close(wgs84_to_bd09(*TIANANMEN_WGS), TIANANMEN_BD, 1e-8)
    assert _close(gcj02_to_bd09(*TIANANMEN_GCJ), TIANANMEN_BD, 1e-7)
    assert _error_m(gcj02_to_wgs84(*TIANANMEN_GCJ), TIANANMEN_WGS) < 0.01
    assert _error_m(bd09_to_wgs84(*TIANANMEN_BD), TIANANMEN_WGS) < 0.01


def test_gcj02_shifts_the_westernmost_tip_of_xinjiang() -> None:
    """coordTransform's narrow box leaves 73.55E unshifted; ours (and prcoords) shift it."""
    tip = (73.55, 39.3)
    assert coordTransform.wgs84_to_gcj02(*tip) == list(tip)
    assert _error_m(wgs84_to_gcj02(*tip), tip) > 100
    assert _close(wgs84_to_gcj02(*tip), _ref_wgs_gcj(*tip), REFERENCE_DEG)


def _grid() -> list[tuple[float, float]]:
    """A 30 x 30 grid inside coordTransform's box (so its crude inverse applies everywhere)."""
    lons = [73.7 + i * (135.0 - 73.7) / 29 for i in range(30)]
    lats = [3.9 + j * (53.5 - 3.9) / 29 for j in range(30)]
    return list(itertools.product(lons, lats))


def test_iterative_gcj02_inverse_beats_the_crude_one_step_inverses() -> None:
    ours, prc, ct = [], [], []
    for wgs in _grid():
        gcj = wgs84_to_gcj02(*wgs)
        crude = prcoords.gcj_wgs((gcj[1], gcj[0]))
        ours.append(_error_m(gcj02_to_wgs84(*gcj), wgs))
        prc.append(_error_m((crude.lon, crude.lat), wgs))
        ct.append(_error_m(coordTransform.gcj02_to_wgs84(*gcj), wgs))
    assert max(ours) < ROUND_TRIP_M
    assert max(prc) > 1.0 and max(ct) > 1.0  # the one-step inverse is off by metres
    assert all(o <= p and o <= c for o, p, c in zip(ours, prc, ct, strict=True))


def test_iterative_bd09_inverse_beats_the_crude_one_step_inverse() -> None:
    ours, ct = [], []
    for wgs in _grid():
        bd = wgs84_to_bd09(*wgs)
        ours.append(_error_m(bd09_to_wgs84(*bd), wgs))
        ct.append(_error_m(coordTransform.bd09_to_wgs84(*bd), wgs))
    assert max(ours) < ROUND_TRIP_M
    assert max(ct) > 1.0
    assert all(o <= c for o, c in zip(ours, ct, strict=True))


def test_gcj02_is_the_identity_outside_china_both_ways() -> None:
    for point in [(-74.006, 40.7128), (151.2093, -33.8688), (2.3522, 48.8566), (72.0, 30.0)]:
        assert wgs84_to_gcj02(*point) == point
        assert gcj02_to_wgs84(*point) == point


def test_bd09_applies_everywhere_and_still_round_trips_outside_china() -> None:
    new_york = (-74.006, 40.7128)
    bd = wgs84_to_bd09(*new_york)
    assert _error_m(bd, new_york) > 100
    assert _error_m(bd09_to_wgs84(*bd), new_york) < ROUND_TRIP_M


def test_round_trip_holds_just_inside_the_gcj02_box_edge() -> None:
    for point in [(72.005, 30.0), (137.83, 40.0), (100.0, 0.83), (100.0, 55.82)]:
        shifted = wgs84_to_gcj02(*point)
        assert shifted != point
        assert _error_m(gcj02_to_wgs84(*shifted), point) < ROUND_TRIP_M


def test_non_finite_input_returns_quickly_instead_of_looping() -> None:
    assert all(math.isnan(v) for v in bd09_to_gcj02(math.nan, math.nan))
    assert all(math.isnan(v) for v in gcj02_to_wgs84(math.nan, math.nan))


def test_crs_values_and_parsing() -> None:
    assert [c.value for c in Crs] == ["wgs84", "gcj02", "bd09"]
    assert Crs("bd09") is Crs.BD09
    with pytest.raises(ValueError):
        Crs("epsg:4326")


@pytest.mark.parametrize(("src", "dst"), list(itertools.product(Crs, Crs)))
def test_convert_every_pair_round_trips(src: Crs, dst: Crs) -> None:
    there = convert(*TIANANMEN_WGS, src=src, dst=dst)
    assert _error_m(convert(*there, src=dst, dst=src), TIANANMEN_WGS) < ROUND_TRIP_M
    if src == dst:
        assert there == TIANANMEN_WGS
    else:
        assert _error_m(there, TIANANMEN_WGS) > 100


def test_convert_dispatches_to_the_named_functions() -> None:
    assert convert(*TIANANMEN_WGS, src=Crs.WGS84, dst=Crs.BD09) == wgs84_to_bd09(*TIANANMEN_WGS)
    assert convert(*TIANANMEN_BD, src=Crs.BD09, dst=Crs.GCJ02) == bd09_to_gcj02(*TIANANMEN_BD)
    assert to_wgs84(*TIANANMEN_GCJ, Crs.GCJ02) == gcj02_to_wgs84(*TIANANMEN_GCJ)
    assert from_wgs84(*TIANANMEN_WGS, Crs.GCJ02) == wgs84_to_gcj02(*TIANANMEN_WGS)
    assert to_wgs84(*TIANANMEN_WGS, Crs.WGS84) == TIANANMEN_WGS
