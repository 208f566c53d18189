"""Suggested sites for a planning meeting: GeoJSON (RFC 7946, WGS-84) and CSV safe to open in Excel/WPS."""

from __future__ import annotations

import csv
import io
from typing import Any

from stations import divisions
from stations.geo.walking import REACH_M
from stations.services.coverage.planning import Gap, Suggestion
from stations.services.feeds.export_records import safe_cell

CSV_HEADER = ["排名", "经度(WGS-84)", "纬度(WGS-84)", "行政区划代码", "所在区县", "可覆盖未满足需求", "覆盖需求点数",
              "覆盖率提升(%)", "覆盖半径(米)"]


def _region(adcode: str | None) -> str:
    return divisions.full_name(adcode) if adcode else "未定位"


def suggestions_geojson(found: list[Suggestion]) -> dict[str, Any]:
    """The suggestions as a FeatureCollection of points."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(s.lon, 6), round(s.lat, 6)]},
         "properties": {"rank": s.rank, "place": s.place, "adcode": s.adcode, "region_name": _region(s.adcode),
                        "covers": round(s.covers, 2), "places": s.places, "share_gain": round(s.share_gain, 4),
                        "reach_m": REACH_M}}
        for s in found]}


def suggestions_csv(found: list[Suggestion]) -> str:
    """The suggestions as CSV with a BOM (Excel opens UTF-8 then), one row per site."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for s in found:
        writer.writerow([s.rank, f"{s.lon:.6f}", f"{s.lat:.6f}", s.adcode or "", safe_cell(_region(s.adcode)),
                         round(s.covers, 2), s.places, round(100 * s.share_gain, 2), int(REACH_M)])
    return out.getvalue()


def gaps_geojson(found: list[Gap]) -> dict[str, Any]:
    """Places of unmet demand as a FeatureCollection (the cell's centre or the imported point)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(g.lon, 6), round(g.lat, 6)]},
         "properties": {"place": g.place, "adcode": g.adcode, "demand": round(g.demand, 2),
                        "unmet": round(g.unmet, 2), "near_station": g.near_station,
                        "mean_open_m": None if g.mean_open_m is None else round(g.mean_open_m)}}
        for g in found]}
