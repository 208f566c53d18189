"""The worker map page: a folium (Leaflet) map served from our own assets and our shell around it (its CSP is
`stations.api.security.map_policy`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Figure, JavascriptLink
from jinja2 import Environment, FileSystemLoader

from stations.db import registry_queries as queries
from stations.db.statements import StatementReads
from stations.geo.crs import Crs, from_wgs84
from stations.nearest import navigation
from stations.services.registry.demo import load_cities
from stations.settings import Settings

VENDOR = "/static/vendor/leaflet"


@dataclass(frozen=True)
class Basemap:
    """The tile layer: its URL (None for no basemap), attribution, and the coordinate system of its pixels."""

    url: str | None
    attribution: str
    crs: Crs
    subdomains: str = "abc"


def basemap(settings: Settings) -> Basemap:
    """The configured basemap; Amap tiles are drawn in GCJ-02, so everything on them must be GCJ-02 too."""
    if settings.map_tiles == "none":
        return Basemap(None, "", Crs.WGS84)
    if settings.map_tiles == "amap":
        url = "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}"
        return Basemap(settings.map_tile_url or url, "&copy; 高德地图 AutoNavi", Crs.GCJ02, "1234")
    if settings.map_tiles == "tianditu":
        url = ("https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec"
               "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=")
        # Tianditu's CGCS2000 differs from WGS-84 by centimetres: our WGS-84 points go on it as they are.
        return Basemap(settings.map_tile_url or url + (settings.tianditu_key or ""), "&copy; 天地图", Crs.WGS84,
                       "01234567")
    url = settings.map_tile_url or "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    return Basemap(url, "&copy; OpenStreetMap contributors", Crs.WGS84)


@dataclass(frozen=True)
class Focus:
    """The station a sign's QR code names: its id, WGS-84 point and navigation links."""

    id: int
    lon: float
    lat: float
    links: dict[str, str]


async def focus_for_sign(*, reads: StatementReads, sign_code: str) -> Focus | None:
    """The live station carrying this sign code, or None."""
    found = await queries.live_point_by_sign_code(reads=reads, codes={sign_code.strip(), sign_code.strip().upper()})
    if found is None:
        return None
    lon, lat = found["lon"], found["lat"]
    return Focus(found["id"], lon, lat, navigation.links(lon=lon, lat=lat, name=found["name"]))


@lru_cache(maxsize=4096)  # one entry per sign page's station location: bounded, or memory grows with the registry
def _folium_parts(tiles: Basemap, lon: float, lat: float, zoom: int) -> dict[str, str]:
    """Folium's pieces, with the JS links moved to the end of <body> so nothing blocks first paint."""
    fmap = folium.Map(location=[lat, lon], zoom_start=zoom, tiles=None, control_scale=False, zoom_control=False)
    fmap._id = "stations"  # a stable `map_stations` global for map.js and a stable CSP hash
    # Per instance, never the class-wide add_js_link: only Leaflet, from our own /static (no CDN, no jQuery).
    fmap.default_js = [("leaflet", f"{VENDOR}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{VENDOR}/leaflet.css")]
    if tiles.url:
        layer = folium.TileLayer(tiles=tiles.url, attr=tiles.attribution, max_zoom=18, subdomains=tiles.subdomains)
        layer._id = "base"
        layer.add_to(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.render()
    header = figure.header._children.values()
    return {
        "head": "\n".join(c.render() for c in header if not isinstance(c, JavascriptLink)),
        "js_links": "\n".join(c.render() for c in header if isinstance(c, JavascriptLink)),
        "html": figure.html.render(),
        "script": figure.script.render(),
    }


@cache
def _environment(web_dir: Path) -> Environment:
    return Environment(loader=FileSystemLoader(web_dir / "templates"), autoescape=True)


@cache
def _strings(web_dir: Path) -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = json.loads((web_dir / "templates" / "strings.json").read_text("utf-8"))
    return strings


def _cities(crs: Crs, lang: str) -> list[dict[str, Any]]:
    """The city picker's cities, named in the page's language."""
    return [{"name": c.city_en if lang == "en" and c.city_en else c.city, "lon": c.lon, "lat": c.lat,
             "display": from_wgs84(c.lon, c.lat, crs)} for c in load_cities()]


def render(*, settings: Settings, lang: str, focus: Focus | None = None, notice: str | None = None) -> str:
    """The whole page as HTML; all station data reaches it later as JSON, never as markup."""
    tiles = basemap(settings)
    centre = (focus.lon, focus.lat) if focus else (load_cities()[0].lon, load_cities()[0].lat)
    display = from_wgs84(*centre, tiles.crs)  # the map's own system: GCJ-02 on Amap tiles
    parts = _folium_parts(tiles, round(display[0], 6), round(display[1], 6), 16 if focus else 12)
    strings = _strings(settings.web_dir)[lang]
    focused = None if focus is None else {"id": focus.id, "lon": focus.lon, "lat": focus.lat, "navigation": focus.links}
    page = _environment(settings.web_dir).get_template("map.html")
    return page.render(folium=parts, t=strings, lang=lang, config=_config(settings.web_dir, tiles.crs, lang, notice,
                                                                           focused))


def _config(web_dir: Path, crs: Crs, lang: str, notice: str | None, focus: dict[str, Any] | None) -> str:
    """`_json_for_script` of the page's config {lang, crs, strings, cities, notice, focus}, the same text, with the
    parts that change only with the language and the map's system written once (they were most of a sign page's
    JSON work)."""
    strings, cities = _fixed_parts(web_dir, crs, lang)
    parts = {"lang": _json_for_script(lang), "crs": _json_for_script(crs.value), "strings": strings,
             "cities": cities, "notice": _json_for_script(notice), "focus": _json_for_script(focus)}
    return "{" + ", ".join(f'"{key}": {value}' for key, value in parts.items()) + "}"  # json.dumps's separators


@lru_cache(maxsize=16)
def _fixed_parts(web_dir: Path, crs: Crs, lang: str) -> tuple[str, str]:
    return _json_for_script(_strings(web_dir)[lang]), _json_for_script(_cities(crs, lang))


def sign_not_found(*, settings: Settings, lang: str, sign_code: str) -> str:
    """The notice shown when no station carries the sign code (shown as text, never markup)."""
    return _strings(settings.web_dir)[lang]["not_found_sign"].replace("{c}", sign_code[:32])


def _json_for_script(value: Any) -> str:
    """JSON safe inside <script type="application/json">: no `<` can close the element."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
