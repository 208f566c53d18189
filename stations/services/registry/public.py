"""Shaping stations for the outside world: the public GeoJSON Feature, the one place it is built."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from stations.db import registry_queries
from stations.db.models import Station
from stations.db.statements import StatementReads
from stations.errors import NotFound
from stations.geo.shapes import geojson_point, lonlat
from stations.hours import opening_words
from stations.reference import KIND_LABELS, Kind, amenity_term
from stations.schemas.station import Amenity, Listing, StationProperties, StationPublic


def to_public(station: Station, *, lang: str = "zh") -> StationPublic:
    """The station as a GeoJSON Feature with labelled kind and amenities and its hours in words."""
    lon, lat = lonlat(station.geom)
    return _public({key: getattr(station, key) for key in _COLUMNS}, lon, lat, station.listings, lang)


def row_to_public(row: Mapping[Any, Any], listings: Sequence[Any], *, lang: str = "zh") -> StationPublic:
    """`to_public` of a station read as a row (its columns but geom, plus `lon` and `lat`) with its listings' rows,
    for pages of many stations: the same Feature, without building ORM objects."""
    return _public(row, row["lon"], row["lat"], listings, lang)


async def live_public(*, reads: StatementReads, station_id: int, lang: str = "zh") -> tuple[StationPublic, int]:
    """The live station with this id as `to_public` shapes it, and its version; NotFound if none. Read as rows:
    loading the station and its listings as ORM objects was a quarter of a station page's app CPU (py-spy)."""
    rows = await registry_queries.live_public(reads=reads, station_id=station_id)
    if not rows:
        raise NotFound(f"no station with id {station_id}")
    listings = [{"provider": r["listing_provider"], "status": r["listing_status"], "poi_id": r["listing_poi_id"],
                 "last_synced_at": r["listing_last_synced_at"]} for r in rows if r["listing_provider"] is not None]
    return row_to_public(rows[0], listings, lang=lang), rows[0]["version"]


def _public(columns: Mapping[str, Any], lon: float, lat: float, listings: Sequence[Any], lang: str) -> StationPublic:
    kind = Kind(columns["kind"])
    source = None if columns["source_lon"] is None else [columns["source_lon"], columns["source_lat"] or 0.0]
    said = opening_words(columns["hours"], columns["self_service_hours"], columns["access_methods"], lang)
    area = columns["area_m2"]
    properties = StationProperties.model_validate(
        {
            **{key: columns[key] for key in _COLUMNS},
            "area_m2": float(area) if area is not None else None,
            "kind_label": getattr(KIND_LABELS[kind], lang),
            "hours_text": said.hours, "self_service_hours_text": said.self_service, "access_text": said.access,
            "amenities_detail": [_amenity(kind, code) for code in columns["amenities"]],
            "source_coordinates": source,
            "listings": [Listing.model_validate(listing, from_attributes=True) for listing in listings],
        }
    )
    return StationPublic(id=columns["id"], geometry=geojson_point(lon, lat), properties=properties)


_COLUMNS = tuple(c.key for c in Station.__table__.columns if c.key != "geom")


@cache
def _amenity(kind: Kind, code: str) -> Amenity:
    """An amenity with its labels, built once per (kind, code) of the vocabulary and shared (never mutated)."""
    return Amenity(**vars(amenity_term(kind, code)))
