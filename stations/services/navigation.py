"""Navigation links for the map apps workers already use, each in that app's own coordinate system."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from stations.geo.crs import Crs, from_wgs84, gcj02_to_bd09, wgs84_to_gcj02

APP_NAME = "stations"


def _fmt(value: float) -> str:
    return f"{value:.6f}"


def amap(*, lon: float, lat: float, name: str) -> str:
    """Amap (高德) walking navigation; GCJ-02, lon before lat, `coordinate=gaode`."""
    glon, glat = from_wgs84(lon, lat, Crs.GCJ02)
    query = {"to": f"{_fmt(glon)},{_fmt(glat)},{name}", "mode": "walk", "coordinate": "gaode",
             "callnative": "1", "src": APP_NAME}
    return "https://uri.amap.com/navigation?" + urlencode(query, quote_via=quote)


def baidu(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> str:
    """Baidu (百度) walking directions; BD-09, lat before lon, `coord_type=bd09ll`."""
    blon, blat = from_wgs84(lon, lat, Crs.BD09)
    query = {"destination": f"latlng:{_fmt(blat)},{_fmt(blon)}|name:{name}", "mode": "walking",
             "coord_type": "bd09ll", "output": "html", "src": APP_NAME}
    if origin is not None:
        olon, olat = from_wgs84(*origin, Crs.BD09)
        query["origin"] = f"latlng:{_fmt(olat)},{_fmt(olon)}|name:我的位置"
    return "https://api.map.baidu.com/direction?" + urlencode(query, quote_via=quote)


def tencent(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> str:
    """Tencent (腾讯) walking route; GCJ-02, lat before lon in `tocoord`."""
    tlon, tlat = from_wgs84(lon, lat, Crs.GCJ02)
    query = {"type": "walk", "to": name, "tocoord": f"{_fmt(tlat)},{_fmt(tlon)}", "referer": APP_NAME}
    if origin is not None:
        olon, olat = from_wgs84(*origin, Crs.GCJ02)
        query.update({"from": "我的位置", "fromcoord": f"{_fmt(olat)},{_fmt(olon)}"})
    return "https://apis.map.qq.com/uri/v1/routeplan?" + urlencode(query, quote_via=quote)


def geo_uri(*, lon: float, lat: float, name: str) -> str:
    """RFC 5870 geo: URI for the phone's default map app; WGS-84, lat before lon."""
    return f"geo:{_fmt(lat)},{_fmt(lon)}?q={_fmt(lat)},{_fmt(lon)}({quote(name)})"


def links(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> dict[str, str]:
    """All navigation links for a WGS-84 destination (and the worker's WGS-84 origin when known).

    The same URLs as `amap`, `baidu`, `tencent` and `geo_uri`; this runs for every row of every nearest reply,
    so a destination's converted and encoded parts are cached, and the origin's are shared by a lookup's rows.
    """
    amap_url, baidu_url, tencent_url, geo = _destination(lon, lat, name)
    if origin is None:
        return {"amap": amap_url, "baidu": baidu_url, "tencent": tencent_url, "geo": geo}
    baidu_from, tencent_from = _origin_parts(origin)
    return {"amap": amap_url, "baidu": baidu_url + baidu_from, "tencent": tencent_url + tencent_from, "geo": geo}


_AMAP = "https://uri.amap.com/navigation?to="
_AMAP_TAIL = f"&mode=walk&coordinate=gaode&callnative=1&src={APP_NAME}"
_BAIDU = "https://api.map.baidu.com/direction?destination="
_BAIDU_TAIL = f"&mode=walking&coord_type=bd09ll&output=html&src={APP_NAME}"
_TENCENT = "https://apis.map.qq.com/uri/v1/routeplan?type=walk&to="
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9_.~-]+")


def _q(text: str) -> str:
    """Percent-encode exactly like `quote(text, safe="")`, a run of bytes at a time (names are mostly CJK)."""
    return _UNSAFE_RUN.sub(lambda run: "%" + run.group().encode().hex("%").upper(), text)


@lru_cache(maxsize=32768)
def _destination(lon: float, lat: float, name: str) -> tuple[str, str, str, str]:
    """Amap URL, Baidu and Tencent URLs without origin, geo: URI; GCJ-02 computed once for all three apps."""
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    qname = _q(name)
    g, w = f"{glon:.6f}%2C{glat:.6f}", f"{lat:.6f},{lon:.6f}"  # the `_fmt` format, inlined (hot loop)
    return (
        f"{_AMAP}{g}%2C{qname}{_AMAP_TAIL}",
        f"{_BAIDU}latlng%3A{blat:.6f}%2C{blon:.6f}%7Cname%3A{qname}{_BAIDU_TAIL}",
        f"{_TENCENT}{qname}&tocoord={glat:.6f}%2C{glon:.6f}&referer={APP_NAME}",
        f"geo:{w}?q={w}({qname.replace('%2F', '/')})",
    )


@lru_cache(maxsize=256)
def _origin_parts(origin: tuple[float, float]) -> tuple[str, str]:
    """The Baidu and Tencent query-string tails for an origin, converted once per lookup."""
    olon, olat = from_wgs84(*origin, Crs.BD09)
    tlon, tlat = from_wgs84(*origin, Crs.GCJ02)
    return (f"&origin={_q(f'latlng:{_fmt(olat)},{_fmt(olon)}|name:我的位置')}",
            f"&from={_q('我的位置')}&fromcoord={_q(f'{_fmt(tlat)},{_fmt(tlon)}')}")
