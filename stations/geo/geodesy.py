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


def _minutes(distance: float, *, metres_per_hour: float) -> int:
    """Whole minutes (rounded up, at least 1) to cover `distance` metres at the given speed."""
    if not math.isfinite(distance) or distance < 0:
        raise ValueError(f"distance must be a finite number of metres >= 0, got {distance!r}")
    return max(1, math.ceil(distance * 60.0 / metres_per_hour))


def walking_minutes(distance_m: float) -> int:
    """Minutes to walk `distance_m` metres at 5 km/h, rounded up, at least 1."""
    return _minutes(distance_m, metres_per_hour=WALKING_M_PER_H)


def riding_minutes(distance_m: float) -> int:
    """Minutes to ride `distance_m` metres by e-bike at 15 km/h, rounded up, at least 1."""
    return _minutes(distance_m, metres_per_hour=RIDING_M_PER_H)
