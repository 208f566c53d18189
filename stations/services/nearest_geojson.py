"""Shaping nearest results as the GeoJSON FeatureCollection the public contract promises.

This runs for every row of every lookup. What depends on the station alone comes rendered from the database
(`feature_json`, `renders`) and is spliced in as it is; what depends only on the lookup (labels in the asked language,
the origin's navigation tails, the output coordinate system) is settled once in `_Shaper`; and dates are left as date
objects for orjson to write (RFC 3339, as `isoformat` would) instead of being formatted in Python.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

import orjson

from stations.geo.crs import Crs, from_wgs84
from stations.geo.geodesy import riding_minutes, walking_minutes
from stations.geo.shapes import geojson_point
from stations.reference import AMENITIES, KIND_LABELS, Kind
from stations.services import feature_json, navigation
from stations.services.nearest import Nearby, NearestQuery, Row


def feature_collection(
    results: list[Nearby], *, query: NearestQuery, lang: str = "zh", out_crs: Crs = Crs.WGS84
) -> dict[str, Any]:
    """Features sorted by distance, ready for orjson; coordinates in `out_crs`, stated as `coordinate_system`."""
    shaper = _Shaper(query=query, lang=lang, out_crs=out_crs)
    return {
        "type": "FeatureCollection",
        "coordinate_system": out_crs.value,
        "at": query.at,
        "numberReturned": len(results),
        "features": [shaper.feature(item) for item in results],
    }


class _Shaper:
    """Turns one lookup's results into features."""

    def __init__(self, *, query: NearestQuery, lang: str, out_crs: Crs) -> None:
        self.out_crs, self.group_by_site, self.lang = out_crs, query.group_by_site, lang
        self.kind_labels = _kind_labels(lang)
        self.tails = navigation.origin_tails((query.lon, query.lat))
        self.tails_utf8 = (self.tails[0].encode(), self.tails[1].encode())

    def feature(self, item: Nearby) -> dict[str, Any] | orjson.Fragment:
        """One result as a GeoJSON Feature: spliced into the station's render when it has a current one."""
        row = item.row
        lookup, parts = self._lookup_properties(item), row["render"]
        if parts is None:  # no render of this version yet: the same Feature, shaped here
            properties = feature_json.station_properties(row, self.tails) | lookup
            return {"type": "Feature", "id": row["id"], "geometry": self._geometry(row), "properties": properties}
        geometry = None if self.out_crs is Crs.WGS84 else self._geometry(row)
        return orjson.Fragment(feature_json.splice(parts, self.tails_utf8, lookup, geometry))

    def _lookup_properties(self, item: Nearby) -> dict[str, Any]:
        """The properties that depend on the lookup: distance, opening at the asked time, labels in its language;
        and those that change without a new station version (verified_at on a worker's visit, site_id when a site
        is deleted)."""
        row, state, metres = item.row, item.opening, item.distance_m
        kind = row["kind"]
        properties: dict[str, Any] = {
            "kind_label": self.kind_labels[kind],
            "distance_m": round(metres, 1),
            "walking_minutes": walking_minutes(metres),
            "riding_minutes": riding_minutes(metres),
            "open": state.open,
            "staffed_now": state.staffed,
            "next_change": state.next_change,
            "access_methods": list(row["access_methods"]) if state.self_service else [],
            "amenities": _amenities(self.lang, kind, tuple(row["amenities"])),
            "verified_at": row["verified_at"],
            "site_id": row["site_id"],
        }
        if self.group_by_site:
            properties["functions"] = [self._function(r) for r in [row, *item.colocated]]
        return properties

    def _geometry(self, row: Row) -> dict[str, Any]:
        lon, lat = row["lon"], row["lat"]
        if self.out_crs is not Crs.WGS84:
            lon, lat = from_wgs84(lon, lat, self.out_crs)
        return geojson_point(lon, lat)

    def _function(self, row: Row) -> dict[str, Any]:
        return {"id": row["id"], "kind": row["kind"], "kind_label": self.kind_labels[row["kind"]],
                "name": row["name"], "sign_code": row["sign_code"]}


@cache
def _kind_labels(lang: str) -> dict[str, str]:
    """Each kind's label in `lang`, by kind code."""
    return {kind.value: getattr(KIND_LABELS[kind], lang) for kind in Kind}


@cache
def _amenity_labels(lang: str) -> dict[str, dict[str, dict[str, str]]]:
    """Each kind's amenities as `{"code", "label"}` in `lang`, by kind and code."""
    return {kind.value: {term.code: {"code": term.code, "label": getattr(term, lang)} for term in terms}
            for kind, terms in AMENITIES.items()}


@lru_cache(maxsize=4096)
def _amenities(lang: str, kind: str, codes: tuple[str, ...]) -> orjson.Fragment:
    """A station's amenities as `[{"code", "label"}, ...]` JSON in `lang`: stations share a few sets, each written
    once. The same code may read differently per kind (冰箱 / a fridge for milk); a CHECK keeps kind within Kind."""
    labels = _amenity_labels(lang)[kind]
    return orjson.Fragment(orjson.dumps([labels.get(code) or _unlabelled(code) for code in codes]))


def _unlabelled(code: str) -> dict[str, str]:
    """A stored code outside the kind's vocabulary (data older than a vocabulary change): shown as itself."""
    return {"code": code, "label": code}
