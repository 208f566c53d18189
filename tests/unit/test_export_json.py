"""The GeoJSON export writes JSON with orjson; providers diff each export against earlier ones made by the standard
library, so for what a station holds the bytes must be the ones `json.dumps(..., ensure_ascii=False,
separators=(",", ":"))` gives. (Floats under 1e-4 are written differently, 1e-6 against 1e-06: the same value, and
no coordinate in China, score or rating is one.) The change feed is written by pydantic: its pages were compared with
the old replies byte for byte when it changed (md5 over 20 paths), not here."""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

# What a Feature holds: text (any character PostgreSQL stores: no NUL, no lone surrogate), 6-decimal coordinates,
# whole numbers, booleans, nulls, lists.
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
COORD = st.floats(18, 135, allow_nan=False).map(lambda v: round(v, 6))
SCORE = st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1))
SCALAR = st.one_of(TEXT, COORD, SCORE, st.integers(-(2**53), 2**53), st.booleans(), st.none())
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                     max_leaves=12)


@given(st.dictionaries(TEXT, VALUE, max_size=8))
def test_orjson_writes_what_the_standard_library_wrote(feature: dict[str, Any]) -> None:
    expected = json.dumps(feature, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert orjson.dumps(feature) == expected

