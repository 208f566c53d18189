"""Shaping stations for the outside world: the public GeoJSON Feature, the one place it is built."""

from __future__ import annotations

from functools import cache

from stations.db.models import Station
from stations.geo.shapes import geojson_point, lonlat
from stations.hours import opening_words
from stations.reference import KIND_LABELS, Kind, amenity_term
from stations.schemas.station import Amenity, Listing, StationProperties, StationPublic


def to_public(station: Station, *, lang: str = "zh") -> StationPublic:
    """The station as a GeoJSON Feature with labelled kind and amenities and its hours in words."""
    lon, lat = lonlat(station.geom)
    kind = Kind(station.kind)
    source = None if station.source_lon is None else [station.source_lon, station.source_lat or 0.0]
    said = opening_words(station.hours, station.self_service_hours, station.access_methods, lang)
    properties = StationProperties.model_validate(
        {
            **{key: getattr(station, key) for key in _COLUMNS},
            "area_m2": float(station.area_m2) if station.area_m2 is not None else None,
            "kind_label": getattr(KIND_LABELS[kind], lang),
            "hours_text": said.hours, "self_service_hours_text": said.self_service, "access_text": said.access,
            "amenities_detail": [_amenity(kind, code) for code in station.amenities],
            "source_coordinates": source,
            "listings": [Listing.model_validate(listing, from_attributes=True) for listing in station.listings],
        }
    )
    return StationPublic(id=station.id, geometry=geojson_point(lon, lat), properties=properties)


_COLUMNS = tuple(c.key for c in Station.__table__.columns if c.key != "geom")


@cache
def _amenity(kind: Kind, code: str) -> Amenity:
    """An amenity with its labels, built once per (kind, code) of the vocabulary and shared (never mutated)."""
    return Amenity(**vars(amenity_term(kind, code)))
