"""A rendered station spliced with a lookup's values is exactly the Feature shaped from scratch, whatever the text."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from stations.geo.shapes import geojson_point
from stations.geo.validation import CHINA_BBOX
from stations.hours import SHANGHAI
from stations.services import feature_json, navigation

WEST, SOUTH, EAST, NORTH = CHINA_BBOX
# Names and addresses as clerks type them, and as they should never break the JSON: quotes, backslashes, CJK,
# emoji, control characters, and the very texts `render` cuts at.
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["{origin}", "{geometry}", '"{origin}"', "a\\\"b", "工会驿站{origin}（东门）", "🚲 驿站"]),
)
NULLABLE_TEXT = st.one_of(st.none(), TEXT)
LON, LAT = st.floats(WEST, EAST), st.floats(SOUTH, NORTH)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, Any]:
    """A station row as the nearest SQL returns it (the columns `render` reads)."""
    return {"id": draw(st.integers(1, 2**53)), "sign_code": draw(TEXT), "kind": draw(TEXT), "name": draw(TEXT),
            "address": draw(TEXT), "status": draw(TEXT), "status_reason": draw(NULLABLE_TEXT),
            "hours": draw(TEXT), "self_service_hours": draw(NULLABLE_TEXT), "lon": draw(LON), "lat": draw(LAT)}


LOOKUPS = st.fixed_dictionaries({
    "kind_label": TEXT, "distance_m": st.floats(0, 200_000), "walking_minutes": st.integers(1, 3000),
    "open": st.one_of(st.none(), st.booleans()),
    "next_change": st.one_of(st.none(), st.datetimes(timezones=st.just(SHANGHAI))),
    "amenities": st.lists(st.fixed_dictionaries({"code": TEXT, "label": TEXT}), max_size=4),
    "verified_at": st.one_of(st.none(), st.dates()), "site_id": st.one_of(st.none(), st.integers(1, 2**53)),
})


def from_scratch(row: dict[str, Any], tails: tuple[str, str], lookup: dict[str, Any],
                 geometry: dict[str, Any]) -> bytes:
    """The reference: the Feature shaped as a dict and written by orjson, as lookups without a render do."""
    properties = feature_json.station_properties(row, tails) | lookup
    return orjson.dumps({"type": "Feature", "id": row["id"], "geometry": geometry, "properties": properties})


@given(row=rows(), origin=st.tuples(LON, LAT), lookup=LOOKUPS)
def test_a_spliced_render_is_byte_for_byte_the_feature_shaped_from_scratch(
    row: dict[str, Any], origin: tuple[float, float], lookup: dict[str, Any]
) -> None:
    tails = navigation.origin_tails(origin)
    spliced = feature_json.splice(feature_json.render(row), (tails[0].encode(), tails[1].encode()), lookup)
    assert spliced == from_scratch(row, tails, lookup, geojson_point(row["lon"], row["lat"]))


@given(row=rows(), origin=st.tuples(LON, LAT), lookup=LOOKUPS, lon=LON, lat=LAT)
def test_a_lookup_in_another_system_replaces_the_rendered_geometry(
    row: dict[str, Any], origin: tuple[float, float], lookup: dict[str, Any], lon: float, lat: float
) -> None:
    tails, geometry = navigation.origin_tails(origin), geojson_point(lon, lat)
    spliced = feature_json.splice(feature_json.render(row), (tails[0].encode(), tails[1].encode()), lookup, geometry)
    assert spliced == from_scratch(row, tails, lookup, geometry)


@given(origin=st.tuples(LON, LAT))
def test_origin_tails_need_no_json_escaping(origin: tuple[float, float]) -> None:
    for tail in navigation.origin_tails(origin):  # spliced into JSON strings as they are
        assert re.fullmatch(r"[A-Za-z0-9%&=.,_~-]*", tail), tail


def test_a_change_to_what_render_writes_bumps_the_layout() -> None:
    """Stored renders of an older layout are ignored only if LAYOUT changes with the output. If this fails because
    you changed `render` or a link format on purpose: bump `feature_json.LAYOUT`, then record the new digest here."""
    row = {"id": 42, "sign_code": "620102-01-0001", "kind": "outdoor_station", "name": "城关区\"示例\"驿站",
           "address": "甘肃省兰州市城关区示例路1号", "status": "active", "status_reason": None,
           "hours": "Mo-Su 08:00-20:00", "self_service_hours": "24/7", "lon": 103.8343, "lat": 36.0611}
    digest = hashlib.sha256(b"\x00".join(feature_json.render(row))).hexdigest()[:16]
    assert (feature_json.LAYOUT, digest) == (1, "ac80d1adbc7c7daa")
