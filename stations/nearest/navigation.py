"""Navigation links for the map apps workers already use, each in that app's own coordinate system."""

from __future__ import annotations

import re

from stations.geo.crs import gcj02_to_bd09, wgs84_to_gcj02

APP_NAME = "stations"


def links(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> dict[str, str]:
    """All navigation links for a WGS-84 destination (and the worker's WGS-84 origin when known).

    Amap: GCJ-02, lon before lat, `coordinate=gaode`. Baidu: BD-09, lat before lon, `coord_type=bd09ll`.
    Tencent: GCJ-02, lat before lon. geo: (RFC 5870) WGS-84, lat before lon. Every row of every nearest reply
    builds these, so the parts are built once (a destination's by `destination`, which `NearestCaches` keeps; the
    origin's by `origin_tails`, shared by a lookup's rows); tests/unit/test_navigation_links.py holds the plain
    urlencode reference it must equal.
    """
    return join(destination(lon, lat, name), origin_tails(origin) if origin else ("", ""))


def join(destination: tuple[str, str, str, str], tails: tuple[str, str]) -> dict[str, str]:
    """The links of one destination (from `destination`) with a lookup's origin tails (from `origin_tails`)."""
    amap_url, baidu_url, tencent_url, geo = destination
    return {"amap": amap_url, "baidu": baidu_url + tails[0], "tencent": tencent_url + tails[1], "geo": geo}


_AMAP = "https://uri.amap.com/navigation?to="
_AMAP_TAIL = f"&mode=walk&coordinate=gaode&callnative=1&src={APP_NAME}"
_BAIDU = "https://api.map.baidu.com/direction?destination="
_BAIDU_TAIL = f"&mode=walking&coord_type=bd09ll&output=html&src={APP_NAME}"
_TENCENT = "https://apis.map.qq.com/uri/v1/routeplan?type=walk&to="
_SAFE_CHARS = "A-Za-z0-9_.~-"  # what `quote` leaves as it is
_UNSAFE_RUN, _SAFE = re.compile(f"[^{_SAFE_CHARS}]+"), re.compile(f"[{_SAFE_CHARS}]")


def _q(text: str) -> str:
    """Percent-encode exactly like `quote(text, safe="")`, a run of bytes at a time (names are mostly CJK).

    A name with no character left as it is (all CJK, the usual case) is one run, encoded without the regex
    substitution and its callback."""
    if text and _SAFE.search(text) is None:
        return "%" + text.encode().hex("%").upper()
    return _UNSAFE_RUN.sub(lambda run: "%" + run.group().encode().hex("%").upper(), text)


def destination(lon: float, lat: float, name: str) -> tuple[str, str, str, str]:
    """Amap URL, Baidu and Tencent URLs without origin, geo: URI; GCJ-02 computed once for all three apps."""
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    qname = _q(name)
    gx, gy, w = f"{glon:.6f}", f"{glat:.6f}", f"{lat:.6f},{lon:.6f}"  # coordinates as %.6f (about 0.1 m)
    return (
        f"{_AMAP}{gx}%2C{gy}%2C{qname}{_AMAP_TAIL}",
        f"{_BAIDU}latlng%3A{blat:.6f}%2C{blon:.6f}%7Cname%3A{qname}{_BAIDU_TAIL}",
        f"{_TENCENT}{qname}&tocoord={gy}%2C{gx}&referer={APP_NAME}",
        f"geo:{w}?q={w}({qname.replace('%2F', '/')})",
    )


def origin_tails(origin: tuple[float, float]) -> tuple[str, str]:
    """The Baidu and Tencent query-string tails for a WGS-84 origin: computed once per lookup, shared by its rows
    (GCJ-02 once for both apps, and the fixed parts encoded once, as `destination` does)."""
    glon, glat = wgs84_to_gcj02(*origin)
    blon, blat = gcj02_to_bd09(glon, glat)
    return (f"&origin=latlng%3A{blat:.6f}%2C{blon:.6f}%7Cname%3A{_MY_PLACE}",
            f"&from={_MY_PLACE}&fromcoord={glat:.6f}%2C{glon:.6f}")


_MY_PLACE = _q("我的位置")
