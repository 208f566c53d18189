"""A nearest result as Feature JSON text, from the station's own part (rendered once per version) and the lookup's.

The station's part holds what depends on the station alone: its id, sign code, kind, names, status, hours and the
navigation links to it (GCJ-02 and BD-09 computed, names percent-encoded). `render` writes it once per station
version (`services/renders.py` stores it); `splice` joins it with what depends on the lookup: the Baidu and Tencent
links' origin, distance, opening, labels in the asked language, and the geometry in the asked system. At a million
stations, shaping a reply from scratch took about half of the app's CPU a lookup, most of it in the station parts.

`station_properties` is the station's part as a dict, shared by `render` and the lookups that have no current
render, so both shape the same Feature (tests/unit/test_feature_json.py holds them equal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from stations.geo.shapes import geojson_point
from stations.services import navigation

if TYPE_CHECKING:  # `db.queries` imports LAYOUT from here, and `services.nearest` imports `db.queries`
    from stations.services.nearest import Row

LAYOUT = 1
"""The version of `render`'s output. Lookups use only renders of this layout (`queries`), and `stations serve`
re-renders the others at start, so bump it with any change to what `render` writes for the same station (a new
property, a link format): tests/unit/test_feature_json.py fails until it is bumped."""

ORIGIN = "{origin}"
"""Where a lookup's origin goes in the rendered Baidu and Tencent links. The text is cut there from the right: the
navigation links come last and never hold a brace (names in them are percent-encoded), so the last two places are
theirs even when a name or an address spells this text."""
_GEOMETRY = "{geometry}"
"""Where the geometry goes; it comes before the properties, so the first place is its own."""


def station_properties(row: Row, tails: tuple[str, str]) -> dict[str, Any]:
    """The properties that depend on the station alone, with the navigation links ending in `tails`
    (`navigation.origin_tails`); `navigation` comes last, as `render` requires."""
    return {
        "id": row["id"],
        "sign_code": row["sign_code"],
        "kind": row["kind"],
        "name": row["name"],
        "address": row["address"],
        "status": row["status"],
        "status_reason": row["status_reason"],
        "hours": row["hours"],
        "self_service_hours": row["self_service_hours"],
        "navigation": navigation.join(navigation.destination(row["lon"], row["lat"], row["name"]), tails),
    }


def render(row: Row) -> list[bytes]:
    """The station's part of its Feature as UTF-8 JSON, in five pieces:
    `{"type":"Feature","id":..,"geometry":` · its WGS-84 geometry · `,"properties":{..` up to the Baidu link's origin
    · up to the Tencent link's origin · the rest, up to the end of the navigation links."""
    feature = {"type": "Feature", "id": row["id"], "geometry": _GEOMETRY,
               "properties": station_properties(row, (ORIGIN, ORIGIN))}
    text = orjson.dumps(feature)[: -len(b"}}")]
    envelope, properties = text.split(orjson.dumps(_GEOMETRY), 1)
    return [envelope, orjson.dumps(geojson_point(row["lon"], row["lat"])), *properties.rsplit(ORIGIN.encode(), 2)]


def splice(parts: list[bytes], tails: tuple[bytes, bytes], lookup: dict[str, Any],
           geometry: dict[str, Any] | None = None) -> bytes:
    """The whole Feature: a rendered station part with the lookup's origin `tails` (UTF-8), its `lookup` properties
    (never empty), and `geometry` when not the rendered WGS-84 one. The tails hold only URL characters, so they need
    no JSON escaping."""
    envelope, wgs84, head, middle, end = parts
    point = wgs84 if geometry is None else orjson.dumps(geometry)
    return b"".join((envelope, point, head, tails[0], middle, tails[1], end, b",", orjson.dumps(lookup)[1:-1], b"}}"))
