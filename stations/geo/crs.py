"""Coordinate systems used by Chinese maps (WGS-84, GCJ-02, BD-09) and exact conversions between them.

Every function takes and returns (lon, lat) in decimal degrees.

Behaviour outside China, decided once for the whole project:

* GCJ-02 is the identity outside `GCJ02_BOX`, the rough box of the original (leaked) implementation,
  lon 72.004..137.8347, lat 0.8293..55.8271. It encloses all of `validation.CHINA_BBOX`, so every
  valid station is shifted, including the westernmost tip of Xinjiang (73.5E), which the narrower
  73.66..135.05 box of some libraries leaves unshifted. The inverse uses the same box: it returns
  the preimage that lies inside the box when there is one, otherwise the point unchanged. So a
  round trip WGS-84 -> GCJ-02 -> WGS-84 is exact (< 1 mm) everywhere, except in a strip a few
  hundred metres wide along the box edge (open sea, Russia, Pakistan) where the forward map is not
  one-to-one and the in-box preimage wins.
* BD-09 is Baidu's fixed x_pi rotation of GCJ-02 and is applied everywhere, as in the public
  formula; outside the GCJ-02 box it therefore rotates plain WGS-84.

The inverses are not the usual one-step approximations (which are off by up to a few metres): they
iterate the forward transform until the residual is below `TOLERANCE_DEG` (1e-9 degrees, ~0.1 mm).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

Transform = Callable[[float, float], tuple[float, float]]

# Krasovsky 1940 ellipsoid, as hard-coded in the GCJ-02 formula.
KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
X_PI = math.pi * 3000.0 / 180.0
BD_DLON = 0.0065
BD_DLAT = 0.006
GCJ02_BOX = (72.004, 0.8293, 137.8347, 55.8271)  # min lon, min lat, max lon, max lat
_GCJ02_MAX_SHIFT_DEG = 0.1  # the real shift is below 0.02 degrees; a safe margin around the box
TOLERANCE_DEG = 1e-9
MAX_ITERATIONS = 30


class Crs(StrEnum):
    """A coordinate reference system a station's position can be given in."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def in_gcj02_box(lon: float, lat: float, *, margin: float = 0.0) -> bool:
    """True where GCJ-02 shifts points (the rough box of mainland China and its seas)."""
    min_lon, min_lat, max_lon, max_lat = GCJ02_BOX
    return min_lon - margin <= lon <= max_lon + margin and min_lat - margin <= lat <= max_lat + margin


def _shift_lat_m(x: float, y: float) -> float:
    """Northward GCJ-02 shift (Krasovsky metres) at x = lon - 105, y = lat - 35."""
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon_m(x: float, y: float) -> float:
    """Eastward GCJ-02 shift (Krasovsky metres) at x = lon - 105, y = lat - 35."""
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj02_shift(lon: float, lat: float) -> tuple[float, float]:
    """Apply the GCJ-02 formula with no box check."""
    rad_lat = math.radians(lat)
    magic = 1.0 - KRASOVSKY_EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    m_per_deg_lat = (KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * math.pi / 180.0
    m_per_deg_lon = KRASOVSKY_A / sqrt_magic * math.cos(rad_lat) * math.pi / 180.0
    x, y = lon - 105.0, lat - 35.0
    return lon + _shift_lon_m(x, y) / m_per_deg_lon, lat + _shift_lat_m(x, y) / m_per_deg_lat


def _invert(forward: Transform, lon: float, lat: float) -> tuple[float, float]:
    """Find p with forward(p) == (lon, lat) by fixed-point iteration (forward is near-identity)."""
    est_lon, est_lat = lon, lat
    for _ in range(MAX_ITERATIONS):
        got_lon, got_lat = forward(est_lon, est_lat)
        d_lon, d_lat = got_lon - lon, got_lat - lat
        est_lon, est_lat = est_lon - d_lon, est_lat - d_lat
        if abs(d_lon) < TOLERANCE_DEG and abs(d_lat) < TOLERANCE_DEG:
            break
    return est_lon, est_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert WGS-84 to GCJ-02 (identity outside `GCJ02_BOX`)."""
    if not in_gcj02_box(lon, lat):
        return lon, lat
    return _gcj02_shift(lon, lat)


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert GCJ-02 to WGS-84 exactly (iterative); identity where no in-box preimage exists."""
    if not in_gcj02_box(lon, lat, margin=_GCJ02_MAX_SHIFT_DEG):
        return lon, lat
    wgs_lon, wgs_lat = _invert(_gcj02_shift, lon, lat)
    if in_gcj02_box(wgs_lon, wgs_lat):
        return wgs_lon, wgs_lat
    return lon, lat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert GCJ-02 to BD-09 (Baidu's x_pi formula, applied everywhere)."""
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * X_PI)
    return z * math.cos(theta) + BD_DLON, z * math.sin(theta) + BD_DLAT


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Convert BD-09 to GCJ-02 exactly (iterative inverse of `gcj02_to_bd09`)."""
    return _invert(gcj02_to_bd09, lon, lat)


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """Convert WGS-84 to BD-09 (through GCJ-02)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """Convert BD-09 to WGS-84 exactly (through GCJ-02)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


_CONVERSIONS: dict[tuple[Crs, Crs], Transform] = {
    (Crs.WGS84, Crs.GCJ02): wgs84_to_gcj02,
    (Crs.GCJ02, Crs.WGS84): gcj02_to_wgs84,
    (Crs.GCJ02, Crs.BD09): gcj02_to_bd09,
    (Crs.BD09, Crs.GCJ02): bd09_to_gcj02,
    (Crs.WGS84, Crs.BD09): wgs84_to_bd09,
    (Crs.BD09, Crs.WGS84): bd09_to_wgs84,
}


def convert(lon: float, lat: float, *, src: Crs, dst: Crs) -> tuple[float, float]:
    """Convert (lon, lat) from `src` to `dst`; the same system returns the point unchanged."""
    if src == dst:
        return lon, lat
    return _CONVERSIONS[(Crs(src), Crs(dst))](lon, lat)


def to_wgs84(lon: float, lat: float, crs: Crs) -> tuple[float, float]:
    """Convert a point given in `crs` to WGS-84."""
    return convert(lon, lat, src=crs, dst=Crs.WGS84)


def from_wgs84(lon: float, lat: float, crs: Crs) -> tuple[float, float]:
    """Convert a WGS-84 point to `crs`."""
    return convert(lon, lat, src=Crs.WGS84, dst=crs)
