"""Shaping stations for the outside world: the public GeoJSON Feature, the one place it is built."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import orjson

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


async def live_public_json(*, reads: StatementReads, station_id: int, lang: str = "zh") -> tuple[bytes, int]:
    """The live station with this id as `to_public` writes it (`row_to_json`), and its version; NotFound if none.
    Read as rows: loading the station and its listings as ORM objects was a quarter of a station page's app CPU."""
    rows = await registry_queries.live_public(reads=reads, station_id=station_id)
    if not rows:
        raise NotFound(f"no station with id {station_id}")
    listings = [{"provider": r["listing_provider"], "status": r["listing_status"], "poi_id": r["listing_poi_id"],
                 "last_synced_at": r["listing_last_synced_at"]} for r in rows if r["listing_provider"] is not None]
    return row_to_json(rows[0], listings, lang=lang), rows[0]["version"]


def row_to_json(row: Mapping[Any, Any], listings: Sequence[Mapping[str, Any]], *, lang: str = "zh",
                tail: bytes = b"") -> bytes:
    """The JSON pydantic writes for `to_public` of the station in `row` (its columns but geom, plus `lon` and `lat`)
    with its `listings` (the same bytes; a test holds them equal), written by orjson, with `tail` (`,"key":value...`)
    added to the Feature's members. Validating a model from rows the registry already checked, then writing it, was
    about half of a Feature's 86 µs (cProfile, a page of 100)."""
    properties = _properties(row, [{key: listing[key] for key in _LISTING} for listing in listings], lang)
    properties["amenities_detail"] = [_amenity_json(Kind(row["kind"]), code) for code in row["amenities"]]
    ordered = {key: properties[key] for key in _PROPERTIES}
    feature = {"type": "Feature", "id": row["id"], "geometry": geojson_point(row["lon"], row["lat"]),
               "properties": ordered}
    written = orjson.dumps(feature, option=orjson.OPT_UTC_Z)
    return written[:-1] + tail + b"}" if tail else written


def _public(columns: Mapping[str, Any], lon: float, lat: float, listings: Sequence[Any], lang: str) -> StationPublic:
    properties = StationProperties.model_validate(
        _properties(columns, [Listing.model_validate(listing, from_attributes=True) for listing in listings], lang)
        | {"amenities_detail": [_amenity(Kind(columns["kind"]), code) for code in columns["amenities"]]})
    return StationPublic(id=columns["id"], geometry=geojson_point(lon, lat), properties=properties)


def _properties(columns: Mapping[Any, Any], listings: Sequence[Any], lang: str) -> dict[str, Any]:
    """The Feature's properties from the station's columns (amenities_detail left to the caller)."""
    kind = Kind(columns["kind"])
    source = None if columns["source_lon"] is None else [float(columns["source_lon"]),
                                                           float(columns["source_lat"] or 0.0)]
    said = opening_words(columns["hours"], columns["self_service_hours"], columns["access_methods"], lang)
    area = columns["area_m2"]
    return {
        **{key: columns[key] for key in _COLUMNS},
        "area_m2": float(area) if area is not None else None,
        "kind_label": getattr(KIND_LABELS[kind], lang),
        "hours_text": said.hours, "self_service_hours_text": said.self_service, "access_text": said.access,
        "source_coordinates": source,
        "listings": listings,
    }


_COLUMNS = tuple(c.key for c in Station.__table__.columns if c.key != "geom")


_PROPERTIES = tuple(StationProperties.model_fields)
_LISTING = tuple(Listing.model_fields)


@cache
def _amenity(kind: Kind, code: str) -> Amenity:
    """An amenity with its labels, built once per (kind, code) of the vocabulary and shared (never mutated)."""
    return Amenity(**vars(amenity_term(kind, code)))


@cache
def _amenity_json(kind: Kind, code: str) -> dict[str, str]:
    """`_amenity` as its JSON object (shared, never mutated)."""
    return _amenity(kind, code).model_dump()
