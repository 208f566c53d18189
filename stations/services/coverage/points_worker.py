"""Reading an uploaded file of demand points in a process of its own: `python -m
stations.services.coverage.points_worker`, the file on stdin after one JSON line of limits and the file's name.

It reads with the importer's safe readers (`importer.reader`: CSV/XLSX caps, zip checks) confined like an import
(`importer.worker.confine`: lower priority, capped memory and CPU), and prints one JSON object: the points in
WGS-84 (name, category, weight, lon, lat) and the rows refused with the reason, in Chinese.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from stations.errors import StationsError
from stations.geo.crs import Crs, to_wgs84
from stations.geo.validation import parse_coordinate, validate_lonlat
from stations.services.importer import reader
from stations.services.importer.limits import Limits
from stations.services.importer.worker import confine

WEIGHT_HEADERS = {"权重", "需求", "人数", "骑手数", "人次", "日均人数", "weight", "demand"}
MAX_POINTS = 50_000


def _weight(text: str | None) -> float:
    if not text:
        return 1.0
    value = float(text.replace(",", ""))
    if not 0 < value <= 1_000_000:
        raise ValueError(text)
    return value


def _point(values: dict[str, str], crs: Crs) -> dict[str, Any]:
    lon, lat = parse_coordinate(values.get("lon", "")), parse_coordinate(values.get("lat", ""))
    lon, lat = to_wgs84(*validate_lonlat(lon, lat, crs=crs), crs)
    return {"name": values.get("name", "")[:200] or "需求点", "category": values.get("kind", "")[:50],
            "weight": _weight(values.get("weight")), "lon": lon, "lat": lat}


def read_points(content: bytes, filename: str, limits: Limits, crs: Crs) -> dict[str, Any]:
    """The points of a file (name, lon, lat; optional 类型 and 权重/人数) and the rows refused."""
    sheet = reader.read(content, filename, limits)
    header = sheet.header
    for column in header.columns:  # the importer's vocabulary is the stations'; the weight column is ours
        if column.why and column.header.strip().casefold() in WEIGHT_HEADERS:
            header.fields[column.number] = "weight"
    if "lon" not in header.fields.values() or "lat" not in header.fields.values():
        return {"points": [], "refused": ["没有找到经度、纬度列：请用表头“经度”“纬度”（或 lon、lat）"]}
    stated = next((c.crs for c in header.columns if c.crs), None) or crs
    points, refused = [], []
    for row in sheet.rows:
        if row.skip or not row.values:
            continue
        try:
            points.append(_point(row.values, stated))
        except StationsError:
            refused.append(f"第 {row.number} 行：经纬度（{row.values.get('lon', '')}, {row.values.get('lat', '')}）"
                           f"无法读取或不在中国境内（{stated.value}）")
        except ValueError:
            refused.append(f"第 {row.number} 行：权重/人数须为正数，得到“{row.values.get('weight', '')}”")
        if len(points) > MAX_POINTS:
            return {"points": [], "refused": [f"需求点超过 {MAX_POINTS} 个：请拆分文件"]}
    return {"points": points, "refused": refused[:200]}


def main() -> None:
    """Read the task line and the file from stdin, print the outcome as one JSON line."""
    task = json.loads(sys.stdin.buffer.readline())
    limits = Limits(**task["limits"])
    content = sys.stdin.buffer.read()
    confine(limits)
    try:
        out = read_points(content, task["filename"], limits, Crs(task["crs"]))
    except StationsError as exc:
        out = {"points": [], "refused": [exc.message]}
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
