"""What one exported station looks like in each format: the formats, their columns and datums, and the rows."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import RowMapping

from stations.geo.crs import Crs, from_wgs84
from stations.hours import is_unknown
from stations.reference import AMENITIES, KIND_LABELS, Kind

DIGITS = 6  # about 0.1 m: what RFC 7946 recommends and providers accept


class ExportFormat(StrEnum):
    """The export formats."""

    GEOJSON = "geojson"
    CSV = "csv"
    XLSX = "xlsx"
    AMAP = "amap"
    BAIDU = "baidu"
    TENCENT = "tencent"


@dataclass(frozen=True)
class Target:
    """How one format is written: its coordinate system, media type and file extension."""

    crs: Crs
    crs_label: str
    media_type: str
    extension: str


TARGETS: dict[ExportFormat, Target] = {
    ExportFormat.GEOJSON: Target(Crs.WGS84, "WGS-84", "application/geo+json", "geojson"),
    ExportFormat.CSV: Target(Crs.WGS84, "WGS-84", "text/csv; charset=utf-8", "csv"),
    ExportFormat.XLSX: Target(
        Crs.WGS84, "WGS-84", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    ExportFormat.AMAP: Target(Crs.GCJ02, "GCJ-02", "text/csv; charset=utf-8", "csv"),
    ExportFormat.TENCENT: Target(Crs.GCJ02, "GCJ-02", "text/csv; charset=utf-8", "csv"),
    ExportFormat.BAIDU: Target(Crs.BD09, "BD-09", "text/csv; charset=utf-8", "csv"),
}

PROVIDER_COLUMNS = (
    "名称", "地址", "经度", "纬度", "坐标系", "分类", "电话", "营业时间", "描述", "行政区划代码", "标识编码",
)
"""Columns of the providers' bulk POI upload templates (name, address, coordinates, category, phone...)."""

PLAIN_COLUMNS = (
    "id", "sign_code", "kind", "name", "address", "adcode", "lon", "lat", "crs", "hours",
    "self_service_hours", "amenities", "phone", "status", "updated_at",
)


def converted(row: RowMapping, crs: Crs) -> tuple[float, float]:
    """The row's position in `crs`, rounded to 6 decimals."""
    lon, lat = from_wgs84(row["lon"], row["lat"], crs)
    return round(lon, DIGITS), round(lat, DIGITS)


def description(row: RowMapping) -> str:
    """A one-line Chinese description: amenities, self-service hours, sign code."""
    labels = {term.code: term.zh for term in AMENITIES[Kind(row["kind"])]}
    parts = ["设施：" + "、".join(labels.get(code, code) for code in row["amenities"])] if row["amenities"] else []
    if row["self_service_hours"]:
        parts.append(f"自助开放：{row['self_service_hours']}")
    parts.append(f"工会统一标识 {row['sign_code']}")
    return "；".join(parts)


def provider_record(row: RowMapping, target: Target) -> tuple[Any, ...]:
    """One row of a provider upload file, in PROVIDER_COLUMNS order."""
    lon, lat = converted(row, target.crs)
    category = f"生活服务;工会服务阵地;{KIND_LABELS[Kind(row['kind'])].zh}"
    hours = "" if is_unknown(row["hours"]) else row["hours"]  # a provider shows the text: unknown is no hours
    return (row["name"], row["address"], lon, lat, target.crs_label, category, row["phone"] or "",
            hours, description(row), row["adcode"], row["sign_code"])


def plain_record(row: RowMapping) -> tuple[Any, ...]:
    """One row of the WGS-84 CSV/XLSX export, in PLAIN_COLUMNS order."""
    lon, lat = converted(row, Crs.WGS84)
    return (row["id"], row["sign_code"], row["kind"], row["name"], row["address"], row["adcode"], lon, lat,
            "WGS-84", row["hours"], row["self_service_hours"] or "", ";".join(row["amenities"]),
            row["phone"] or "", row["status"], row["updated_at"].isoformat())


def feature(row: RowMapping) -> dict[str, Any]:
    """An RFC 7946 Feature (WGS-84, 6 decimals, no `crs` member)."""
    lon, lat = converted(row, Crs.WGS84)
    properties = dict(zip(PLAIN_COLUMNS, plain_record(row), strict=True))
    for key in ("lon", "lat", "crs"):
        del properties[key]
    properties["kind_label"] = KIND_LABELS[Kind(row["kind"])].zh
    properties["amenities"] = list(row["amenities"])
    return {"type": "Feature", "id": row["id"], "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}
