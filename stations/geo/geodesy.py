"""Geodesic distances on the WGS-84 ellipsoid and the travel times shown to workers."""

from __future__ import annotations

import math

from geographiclib.geodesic import Geodesic

WALKING_M_PER_H = 5_000.0  # 5 km/h, about 83.3 m per minute
RIDING_M_PER_H = 15_000.0  # e-bike in city traffic


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Return the geodesic distance in metres between two WGS-84 points (Karney's algorithm)."""
    result = Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)
    return float(result["s12"])


_MIN_M_PER_DEG_LAT = 110_574.0
"""A degree of latitude is shortest at the equator (110,574.4 m on WGS-84), so r / this bounds its span in degrees."""
_MIN_RADIUS_OF_CURVATURE_M = 6_335_439.0
"""WGS-84's smallest radius of curvature (the meridian's, at the equator): the sphere `circle_box` takes the span in
longitude from."""
BOX_MARGIN = 1.01
"""Each half-side of `circle_box` is widened by 1%, because its bound is a spherical one, checked against Karney's
geodesics (tests/unit/test_geodesy.py) but not derived for the ellipsoid; that check fails once the box is 0.1%
smaller."""


def circle_box(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees: a lon/lat box holding every point within `radius_m` geodesic metres of
    (lon, lat), a little larger than the circle. For index probes (`geom && box`); the exact test stays in metres.

    The span in latitude uses the shortest degree of latitude; the span in longitude is the widest of a spherical
    cap, asin(sin(r/R) / cos(lat)), with R the smallest radius of curvature. A circle around a pole spans all
    longitudes. The box is not wrapped across the antimeridian
    (its edges are clamped there), which no circle around a point in China reaches.
    """
    dlat = radius_m / _MIN_M_PER_DEG_LAT * BOX_MARGIN
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    spread = math.sin(min(radius_m / _MIN_RADIUS_OF_CURVATURE_M, math.pi / 2)) / math.cos(math.radians(lat))
    if south <= -90.0 or north >= 90.0 or spread >= 1.0:
        return -180.0, south, 180.0, north
    dlon = math.degrees(math.asin(spread)) * BOX_MARGIN
    return max(-180.0, lon - dlon), south, min(180.0, lon + dlon), north


def _minutes(distance: float, metres_per_hour: float) -> int:
    """Whole minutes (rounded up, at least 1) to cover `distance` metres at the given speed.

    Twice a row of every nearest reply, so one chained comparison checks the distance (NaN fails it too)."""
    if not 0.0 <= distance < math.inf:
        raise ValueError(f"distance must be a finite number of metres >= 0, got {distance!r}")
    return math.ceil(distance * 60.0 / metres_per_hour) or 1


def walking_minutes(distance_m: float) -> int:
    """Minutes to walk `distance_m` metres at 5 km/h, rounded up, at least 1."""
    return _minutes(distance_m, WALKING_M_PER_H)


def riding_minutes(distance_m: float) -> int:
    """Minutes to ride `distance_m` metres by e-bike at 15 km/h, rounded up, at least 1."""
    return _minutes(distance_m, RIDING_M_PER_H)
