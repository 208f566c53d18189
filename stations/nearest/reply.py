"""Shaping nearest results as the GeoJSON FeatureCollection the public contract promises.

This runs for every row of every lookup, so what depends only on the lookup (labels in the asked language, the
origin's navigation tails, the output coordinate system) is settled once in `_Shaper`, and dates are left as
date objects for orjson to write (RFC 3339, as `isoformat` would) instead of being formatted in Python.
"""

from __future__ import annotations

from typing import Any

from stations.geo.crs import Crs, from_wgs84
from stations.geo.geodesy import riding_minutes, walking_minutes
from stations.geo.shapes import geojson_point, rounded
from stations.nearest import navigation
from stations.nearest.caches import NearestCaches
from stations.nearest.query import Nearby, NearestQuery, Row
from stations.reference import AMENITIES, KIND_LABELS, Kind


def feature_collection(
    results: list[Nearby], *, query: NearestQuery, caches: NearestCaches, lang: str = "zh", out_crs: Crs = Crs.WGS84
) -> dict[str, Any]:
    """Features sorted by distance, ready for orjson; coordinates in `out_crs`, stated as `coordinate_system`."""
    shaper = _Shaper(query=query, caches=caches, lang=lang, out_crs=out_crs)
    return {
        "type": "FeatureCollection",
        "coordinate_system": out_crs.value,
        "at": query.at,
        "numberReturned": len(results),
        "features": [shaper.feature(item) for item in results],
    }


class _Shaper:
    """Turns one lookup's results into features."""

    def __init__(self, *, query: NearestQuery, caches: NearestCaches, lang: str, out_crs: Crs) -> None:
        self.out_crs, self.group_by_site = out_crs, query.group_by_site
        self.kind_labels, self.amenity_labels = caches.labels(lang, labels)
        self.tails = navigation.origin_tails((query.lon, query.lat))
        self.destination, self.words, self.lang = caches.destination, caches.words, lang

    def feature(self, item: Nearby) -> dict[str, Any]:
        """One result as a GeoJSON Feature."""
        row, state, metres = item.row, item.opening, item.distance_m
        lon, lat, kind, name = row["lon"], row["lat"], row["kind"], row["name"]
        kind_amenities = self.amenity_labels[kind]  # a CHECK keeps kind within Kind
        said = self.words(row["hours"], row["self_service_hours"], row["access_methods"], self.lang)
        properties: dict[str, Any] = {
            "id": row["id"],
            "sign_code": row["sign_code"],
            "kind": kind,
            "kind_label": self.kind_labels[kind],
            "name": name,
            "address": row["address"],
            "distance_m": rounded(metres, 1),
            "walking_minutes": walking_minutes(metres),
            "riding_minutes": riding_minutes(metres),
            "status": row["status"],
            "status_reason": row["status_reason"],
            "open": state.open,
            "hours_confidence": "unknown" if state.hours_unknown else "provisional" if state.provisional else "certain",
            "open_on_ordinary_day": state.open_if_ordinary,
            "staffed_now": state.staffed,
            "next_change": state.next_change,
            "hours": row["hours"],
            "hours_text": said.hours,
            "self_service_hours": row["self_service_hours"],
            "self_service_hours_text": said.self_service,
            "access_methods": list(row["access_methods"]) if state.self_service else [],
            "access_text": said.access,
            "amenities": [kind_amenities.get(code) or _unlabelled(code) for code in row["amenities"]],
            "verified_at": row["verified_at"],
            "confirmed_open_at": row["confirmed_open_at"],  # "2 天前有人确认开放" on the map
            "star_rating": row["star_rating"],
            "quality_score": row["quality_score"],
            "site_id": row["site_id"],
            "navigation": navigation.join(self.destination(lon, lat, name), self.tails),
        }
        if item.alert is not None:
            properties["alert"] = item.alert.properties(self.lang)  # issue 24
        if self.group_by_site:
            properties["functions"] = [self._function(r) for r in [row, *item.colocated]]
        if self.out_crs is not Crs.WGS84:
            lon, lat = from_wgs84(lon, lat, self.out_crs)
        return {"type": "Feature", "id": row["id"], "geometry": geojson_point(lon, lat), "properties": properties}

    def _function(self, row: Row) -> dict[str, Any]:
        return {"id": row["id"], "kind": row["kind"], "kind_label": self.kind_labels[row["kind"]],
                "name": row["name"], "sign_code": row["sign_code"]}


def labels(lang: str) -> tuple[dict[str, str], dict[str, dict[str, dict[str, str]]]]:
    """Each kind's label in `lang` by kind code, and each kind's amenities as `{"code", "label"}` by kind and code
    (shared by every reply and only serialised; the same code may read differently per kind: 冰箱 / a milk fridge)."""
    kinds = {kind.value: getattr(KIND_LABELS[kind], lang) for kind in Kind}
    amenities = {kind.value: {term.code: {"code": term.code, "label": getattr(term, lang)} for term in terms}
                 for kind, terms in AMENITIES.items()}
    return kinds, amenities


def _unlabelled(code: str) -> dict[str, str]:
    """A stored code outside the kind's vocabulary (data older than a vocabulary change): shown as itself."""
    return {"code": code, "label": code}
