"""navigation.links (cached, built in one pass) gives exactly the URLs of a plain per-app reference."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from hypothesis import example, given
from hypothesis import strategies as st

from stations.geo.crs import Crs, from_wgs84
from stations.nearest import navigation
from stations.nearest.navigation import APP_NAME


def _fmt(value: float) -> str:
    return f"{value:.6f}"

# The reference: each app's URL built plainly with urlencode (what navigation.links computes fast).

def amap(*, lon: float, lat: float, name: str) -> str:
    """Reference: Amap (高德) walking navigation; GCJ-02, lon before lat, `coordinate=gaode`."""
    glon, glat = from_wgs84(lon, lat, Crs.GCJ02)
    query = {"to": f"{_fmt(glon)},{_fmt(glat)},{name}", "mode": "walk", "coordinate": "gaode",
             "callnative": "1", "src": APP_NAME}
    return "https://uri.amap.com/navigation?" + urlencode(query, quote_via=quote)


def baidu(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> str:
    """Reference: Baidu (百度) walking directions; BD-09, lat before lon, `coord_type=bd09ll`."""
    blon, blat = from_wgs84(lon, lat, Crs.BD09)
    query = {"destination": f"latlng:{_fmt(blat)},{_fmt(blon)}|name:{name}", "mode": "walking",
             "coord_type": "bd09ll", "output": "html", "src": APP_NAME}
    if origin is not None:
        olon, olat = from_wgs84(*origin, Crs.BD09)
        query["origin"] = f"latlng:{_fmt(olat)},{_fmt(olon)}|name:我的位置"
    return "https://api.map.baidu.com/direction?" + urlencode(query, quote_via=quote)


def tencent(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> str:
    """Reference: Tencent (腾讯) walking route; GCJ-02, lat before lon in `tocoord`."""
    tlon, tlat = from_wgs84(lon, lat, Crs.GCJ02)
    query = {"type": "walk", "to": name, "tocoord": f"{_fmt(tlat)},{_fmt(tlon)}", "referer": APP_NAME}
    if origin is not None:
        olon, olat = from_wgs84(*origin, Crs.GCJ02)
        query.update({"from": "我的位置", "fromcoord": f"{_fmt(olat)},{_fmt(olon)}"})
    return "https://apis.map.qq.com/uri/v1/routeplan?" + urlencode(query, quote_via=quote)


def geo_uri(*, lon: float, lat: float, name: str) -> str:
    """Reference: RFC 5870 geo: URI for the phone's default map app; WGS-84, lat before lon."""
    return f"geo:{_fmt(lat)},{_fmt(lon)}?q={_fmt(lat)},{_fmt(lon)}({quote(name)})"



NAMES = st.text(alphabet="示例驿站城关区<>&=|,/ %+~-_.!*'()abcXYZ0189é#?", min_size=1, max_size=24)


@given(lon=st.floats(70, 136), lat=st.floats(3, 55), name=NAMES, with_origin=st.booleans())
def test_links_equal_the_per_app_builders(lon: float, lat: float, name: str, with_origin: bool) -> None:
    origin = (lon + 0.01, lat - 0.01) if with_origin else None
    assert navigation.links(lon=lon, lat=lat, name=name, origin=origin) == {
        "amap": amap(lon=lon, lat=lat, name=name),
        "baidu": baidu(lon=lon, lat=lat, name=name, origin=origin),
        "tencent": tencent(lon=lon, lat=lat, name=name, origin=origin),
        "geo": geo_uri(lon=lon, lat=lat, name=name),
    }


@given(text=st.one_of(st.text(), st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF))))
@example(text="")
@example(text="长安区示例户外劳动者驿站")
@example(text="驿站/2号")
def test_percent_encoding_matches_quote(text: str) -> None:
    assert navigation._q(text) == quote(text, safe="")
