"""Builders for valid test input, so each test states only what it is about."""

from __future__ import annotations

from typing import Any

from stations import divisions
from stations.geo.crs import Crs, to_wgs84
from stations.reference import Kind
from stations.schemas.station import StationCreate


def point_inside(adcode: str) -> tuple[float, float]:
    """A WGS-84 point inside the division: its reference point (城关区's usual test point for 620102 and for codes
    the data set does not know, so a test of a bad code fails on the code)."""
    division = divisions.get(adcode)
    if adcode == "620102" or division is None or division.lon is None or division.lat is None:
        return 103.8343, 36.0611
    assert divisions.point_in(adcode, division.lon, division.lat, tolerance_m=0), adcode
    return division.lon, division.lat


def _region_of(overrides: dict[str, Any]) -> dict[str, str]:
    """The adcode (and an address in it) of a point given without one, so the point lies in its region."""
    if "adcode" in overrides or "lon" not in overrides or "lat" not in overrides:
        return {}
    lon, lat = to_wgs84(overrides["lon"], overrides["lat"], Crs(overrides.get("crs", Crs.WGS84)))
    adcode = divisions.locate(lon, lat)
    if adcode is None or adcode == "620102":  # outside China (a test of bad coordinates), or the default county
        return {}
    return {"adcode": adcode, "address": f"{divisions.full_name(adcode)}示例路1号"}


def station_create(**overrides: Any) -> StationCreate:
    """A valid outdoor station in 兰州市城关区 unless overridden: another adcode gets a point inside it, a point
    given alone gets the adcode (and an address) of the county it lies in."""
    lon, lat = point_inside(overrides.get("adcode", "620102"))
    values: dict[str, Any] = {
        "kind": Kind.OUTDOOR_STATION,
        "name": "城关区示例户外劳动者驿站",
        "address": "甘肃省兰州市城关区示例路1号",
        "adcode": "620102",
        **_region_of(overrides),
        "lon": lon,
        "lat": lat,
        "hours": "Mo-Su 08:00-20:00",
        "amenities": ["drinking_water", "microwave"],
    }
    values.update(overrides)
    return StationCreate(**values)
