"""Navigation links for the map apps workers already use, each in that app's own coordinate system."""

from __future__ import annotations

import re
from functools import lru_cache

from stations.geo.crs import gcj02_to_bd09, wgs84_to_gcj02

APP_NAME = "stations"


def links(*, lon: float, lat: float, name: str, origin: tuple[float, float] | None = None) -> dict[str, str]:
    """All navigation links for a WGS-84 destination (and the worker's WGS-84 origin when known).

    Amap: GCJ-02, lon before lat, `coordinate=gaode`. Baidu: BD-09, lat before lon, `coord_type=bd09ll`.
    Tencent: GCJ-02, lat before lon. geo: (RFC 5870) WGS-84, lat before lon. This runs for every row of every
    nearest reply, so a destination's converted and encoded parts are cached, and the origin's are shared by a
    lookup's rows; tests/unit/test_navigation_links.py holds the plain urlencode reference it must equal.
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
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9_.~-]+")


def _q(text: str) -> str:
    """Percent-encode exactly like `quote(text, safe="")`, a run of bytes at a time (names are mostly CJK)."""
    return _UNSAFE_RUN.sub(lambda run: "%" + run.group().encode().hex("%").upper(), text)


LAYOUT = 1
"""The version of `link_parts`' output. Stored parts of another layout are never used (`db.queries`), and
`stations serve` computes them again at start, so bump it with any change to what `link_parts` returns for the same
station: tests/unit/test_navigation_links.py fails until it is bumped."""


@lru_cache(maxsize=32768)
def destination(lon: float, lat: float, name: str) -> tuple[str, str, str, str]:
    """Amap URL, Baidu and Tencent URLs without origin, geo: URI; GCJ-02 computed once for all three apps."""
    return destination_of(lon, lat, link_parts(lon, lat, name))


def link_parts(lon: float, lat: float, name: str) -> list[str]:
    """What a destination's links need that costs to compute: its GCJ-02 and BD-09 coordinates as %.6f (about
    0.1 m) and its percent-encoded name. Stored per station version (`services/stored_links.py`), as a link cache
    hits few stations at a million (7% at 1M against 59-66% at 100k)."""
    glon, glat = wgs84_to_gcj02(lon, lat)
    blon, blat = gcj02_to_bd09(glon, glat)
    return [f"{glon:.6f}", f"{glat:.6f}", f"{blon:.6f}", f"{blat:.6f}", _q(name)]


def destination_of(lon: float, lat: float, parts: list[str]) -> tuple[str, str, str, str]:
    """`destination` from the WGS-84 point and its `link_parts`: formatting only."""
    glon, glat, blon, blat, qname = parts
    w = f"{lat:.6f},{lon:.6f}"
    return (
        f"{_AMAP}{glon}%2C{glat}%2C{qname}{_AMAP_TAIL}",
        f"{_BAIDU}latlng%3A{blat}%2C{blon}%7Cname%3A{qname}{_BAIDU_TAIL}",
        f"{_TENCENT}{qname}&tocoord={glat}%2C{glon}&referer={APP_NAME}",
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
