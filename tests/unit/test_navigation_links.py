"""navigation.links (cached, built in one pass) gives exactly the URLs of the per-app builders."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from stations.services import navigation

NAMES = st.text(alphabet="示例驿站城关区<>&=|,/ %+~-_.!*'()abcXYZ0189é#?", min_size=1, max_size=24)


@given(lon=st.floats(70, 136), lat=st.floats(3, 55), name=NAMES, with_origin=st.booleans())
def test_links_equal_the_per_app_builders(lon: float, lat: float, name: str, with_origin: bool) -> None:
    origin = (lon + 0.01, lat - 0.01) if with_origin else None
    assert navigation.links(lon=lon, lat=lat, name=name, origin=origin) == {
        "amap": navigation.amap(lon=lon, lat=lat, name=name),
        "baidu": navigation.baidu(lon=lon, lat=lat, name=name, origin=origin),
        "tencent": navigation.tencent(lon=lon, lat=lat, name=name, origin=origin),
        "geo": navigation.geo_uri(lon=lon, lat=lat, name=name),
    }


@given(text=st.text())
def test_percent_encoding_matches_quote(text: str) -> None:
    assert navigation._q(text) == quote(text, safe="")
