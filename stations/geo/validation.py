"""Checks that a coordinate pair is a usable point in China, with messages a union clerk can act on."""

from __future__ import annotations

import math
import re
import unicodedata

from stations.errors import InvalidCoordinates
from stations.geo.crs import Crs, to_wgs84

# China's extent in WGS-84 with a small margin: Pamir tip of Xinjiang (73.5E) to the Wusuli river in
# Heilongjiang (135.08E), Zengmu Ansha / James Shoal in the South China Sea (about 4N) to the Mohe
# bend of the Heilongjiang river (53.56N). Min lon, min lat, max lon, max lat.
CHINA_BBOX = (73.4, 3.8, 135.1, 53.6)
EXAMPLE = "decimal degrees such as lon=116.3913, lat=39.9075"

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# Characters NFKC leaves alone but Chinese keyboards and word processors produce.
_EXTRA_FOLDS = str.maketrans({"\u2212": "-", "\u3002": "."})


def in_china(lon: float, lat: float) -> bool:
    """True if the WGS-84 point lies in `CHINA_BBOX`."""
    min_lon, min_lat, max_lon, max_lat = CHINA_BBOX
    return min_lon <= lon <= max_lon and min_lat <= lat <= max_lat


def _in_china_as(lon: float, lat: float, crs: Crs) -> bool:
    """True if the point given in `crs` lies in China; out-of-range values never do."""
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        return False
    return in_china(*to_wgs84(lon, lat, crs))


def _check_number(value: float, *, name: str) -> float:
    """Return `value` as a float, or raise if it is NaN or infinite."""
    number = float(value)
    if not math.isfinite(number):
        raise InvalidCoordinates(f"{name} is not a number (got {value!r}): give {EXAMPLE}")
    return number


def _check_order_and_sign(lon: float, lat: float, *, crs: Crs) -> None:
    """Raise a pointed message if swapping the values or dropping a minus sign would land in China."""
    if _in_china_as(lon, lat, crs):
        return
    if _in_china_as(lat, lon, crs):
        raise InvalidCoordinates(
            f"latitude {lat} and longitude {lon} look swapped: give lon first (lon={lat}, lat={lon})"
        )
    if _in_china_as(abs(lon), abs(lat), crs):
        raise InvalidCoordinates(
            f"point lon={lon}, lat={lat} is outside China: longitude and latitude are both positive "
            f"in China (east and north); did you mean lon={abs(lon)}, lat={abs(lat)}?"
        )


def _check_range(lon: float, lat: float) -> None:
    """Raise if either value lies outside the range any point on Earth has."""
    if not -180.0 <= lon <= 180.0:
        raise InvalidCoordinates(
            f"longitude {lon} is out of range: longitude must be between -180 and 180 ({EXAMPLE})"
        )
    if not -90.0 <= lat <= 90.0:
        raise InvalidCoordinates(
            f"latitude {lat} is out of range: latitude must be between -90 and 90 ({EXAMPLE})"
        )


def validate_lonlat(lon: float, lat: float, *, crs: Crs = Crs.WGS84) -> tuple[float, float]:
    """Return (lon, lat) as floats if they are a point in China given in `crs`, else raise."""
    lon = _check_number(lon, name="longitude")
    lat = _check_number(lat, name="latitude")
    _check_order_and_sign(lon, lat, crs=crs)
    _check_range(lon, lat)
    if not _in_china_as(lon, lat, crs):
        min_lon, min_lat, max_lon, max_lat = CHINA_BBOX
        raise InvalidCoordinates(
            f"point lon={lon}, lat={lat} ({crs}) is outside China: a station must lie within "
            f"longitude {min_lon}..{max_lon} and latitude {min_lat}..{max_lat}; check the digits"
        )
    return lon, lat


def parse_coordinate(text: str) -> float:
    """Parse one coordinate typed as decimal degrees, accepting full-width digits, minus and dot."""
    folded = unicodedata.normalize("NFKC", text).translate(_EXTRA_FOLDS).strip()
    if not folded:
        raise InvalidCoordinates(f"no coordinate given: give {EXAMPLE}")
    if not _NUMBER.fullmatch(folded):
        raise InvalidCoordinates(f"{text.strip()!r} is not a number: give {EXAMPLE}")
    return float(folded)
