"""Shaping nearest results as the GeoJSON FeatureCollection the public contract promises."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from stations.geo.crs import Crs, from_wgs84
from stations.geo.geodesy import riding_minutes, walking_minutes
from stations.geo.shapes import geojson_point
from stations.reference import KIND_LABELS, Kind, amenity_term
from stations.services import navigation
from stations.services.nearest import Nearby, NearestQuery


def feature_collection(
    results: list[Nearby], *, query: NearestQuery, lang: str = "zh", out_crs: Crs = Crs.WGS84
) -> dict[str, Any]:
    """Features sorted by distance; coordinates in `out_crs`, stated as `coordinate_system`."""
    return {
        "type": "FeatureCollection",
        "coordinate_system": out_crs.value,
        "at": query.at.isoformat(),
        "numberReturned": len(results),
        "features": [_feature(item, query=query, lang=lang, out_crs=out_crs) for item in results],
    }


def _feature(item: Nearby, *, query: NearestQuery, lang: str, out_crs: Crs) -> dict[str, Any]:
    row, state = item.row, item.opening
    lon, lat = float(row["lon"]), float(row["lat"])
    kind = Kind(row["kind"])
    properties: dict[str, Any] = {
        "id": row["id"],
        "sign_code": row["sign_code"],
        "kind": kind.value,
        "kind_label": getattr(KIND_LABELS[kind], lang),
        "name": row["name"],
        "address": row["address"],
        "distance_m": round(item.distance_m, 1),
        "walking_minutes": walking_minutes(item.distance_m),
        "riding_minutes": riding_minutes(item.distance_m),
        "status": row["status"],
        "status_reason": row["status_reason"],
        "open": state.open,
        "staffed_now": state.staffed,
        "next_change": state.next_change.isoformat() if state.next_change else None,
        "hours": row["hours"],
        "self_service_hours": row["self_service_hours"],
        "access_methods": list(row["access_methods"]) if state.self_service else [],
        "amenities": _amenities(kind, row["amenities"], lang),
        "verified_at": row["verified_at"].isoformat() if row["verified_at"] else None,
        "site_id": row["site_id"],
        "navigation": navigation.links(lon=lon, lat=lat, name=row["name"], origin=(query.lon, query.lat)),
    }
    if query.group_by_site:
        properties["functions"] = [_function(r, lang) for r in [row, *item.colocated]]
    out_lon, out_lat = from_wgs84(lon, lat, out_crs)
    return {"type": "Feature", "id": row["id"], "geometry": geojson_point(out_lon, out_lat), "properties": properties}


def _amenities(kind: Kind, codes: list[str], lang: str) -> list[dict[str, str]]:
    """Codes with labels in `lang`."""
    return [_amenity(kind, code, lang) for code in codes]


@lru_cache(maxsize=1024)
def _amenity(kind: Kind, code: str, lang: str) -> dict[str, str]:
    """One labelled amenity, built once per (kind, code, lang) and shared (callers only serialise it)."""
    term = amenity_term(kind, code)
    return {"code": code, "label": term.zh if lang == "zh" else term.en}


def _function(row: Any, lang: str) -> dict[str, Any]:
    kind = Kind(row["kind"])
    return {"id": row["id"], "kind": kind.value, "kind_label": getattr(KIND_LABELS[kind], lang),
            "name": row["name"], "sign_code": row["sign_code"]}
