"""Geometry crosses representations here only: database points <-> (lon, lat) <-> GeoJSON."""

from __future__ import annotations

from typing import Any

from geoalchemy2.elements import WKBElement
from geoalchemy2.shape import from_shape, to_shape
from shapely.geometry import Point

SRID = 4326


def point_element(lon: float, lat: float) -> WKBElement:
    """A WGS-84 point ready to store in a `geometry(Point, 4326)` column."""
    return from_shape(Point(lon, lat), srid=SRID)


def lonlat(geom: Any) -> tuple[float, float]:
    """The (lon, lat) of a stored point geometry."""
    point = to_shape(geom)
    return (point.x, point.y)


def geojson_point(lon: float, lat: float, *, digits: int = 7) -> dict[str, Any]:
    """An RFC 7946 Point geometry, rounded to `digits` decimals (7 digits is about 1 cm)."""
    return {"type": "Point", "coordinates": [round(lon, digits), round(lat, digits)]}
