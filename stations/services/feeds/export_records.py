"""What one exported station looks like in each format: the formats, their columns and datums, and the rows.

Hours go out in words (`stations.hours.words`) wherever people read them: the providers' 营业时间 and 描述, and
`*_text` columns beside the raw OpenStreetMap expressions of the plain CSV/XLSX/GeoJSON.

Spreadsheet cells are made safe to open (OWASP CSV injection): a text cell that starts with `=`, `+`, `-`, `@`,
tab or carriage return could run as a formula in Excel or WPS, so `safe_cell` puts an apostrophe before it in CSV
(the XLSX writer keeps the text and marks the cell as text instead). Numbers stay numbers (coordinates are never
touched); text that is only a signed number ("+8613912345678", "-12.5") or a lone "-" is left alone (a
spreadsheet reads those as a number or as text, never as a formula); a `-` anywhere but first ("0931-8123456",
"08:00-20:00") is ordinary text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import RowMapping

from stations.geo.crs import Crs, from_wgs84
from stations.hours import OpeningWords, is_unknown, opening_words
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
    "self_service_hours", "amenities", "phone", "status", "updated_at", "hours_text", "self_service_hours_text",
    "access_methods", "access_text", "star_rating", "star_rule_version", "quality_score", "verified_at",
)
"""The plain CSV/XLSX columns (the words and the ways in came last, so older readers by position still work)."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?|-")


def needs_guard(value: object) -> bool:
    """Whether a cell is text a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value)


def safe_cell(value: Any) -> Any:
    """The cell as a CSV may carry it: `'` before text that could run as a formula, everything else as it is."""
    return "'" + value if needs_guard(value) else value


def converted(row: RowMapping, crs: Crs) -> tuple[float, float]:
    """The row's position in `crs`, rounded to 6 decimals."""
    lon, lat = from_wgs84(row["lon"], row["lat"], crs)
    return round(lon, DIGITS), round(lat, DIGITS)


def words(row: RowMapping) -> OpeningWords:
    """The row's hours, self-service hours and ways in, in Chinese words."""
    return opening_words(row["hours"], row["self_service_hours"], row["access_methods"])


def description(row: RowMapping, said: OpeningWords) -> str:
    """A one-line Chinese description: amenities, self-service hours and how to get in, sign code."""
    labels = {term.code: term.zh for term in AMENITIES[Kind(row["kind"])]}
    parts = ["设施：" + "、".join(labels.get(code, code) for code in row["amenities"])] if row["amenities"] else []
    if said.self_service:
        parts.append(f"自助开放：{said.self_service}" + (f"（{said.access}）" if said.access else ""))
    if row["star_rating"]:
        parts.append(f"星级 {'★' * row['star_rating']}（规则 {row['star_rule_version'] or '—'}）")
    parts.append(f"工会统一标识 {row['sign_code']}")
    return "；".join(parts)


def provider_record(row: RowMapping, target: Target) -> tuple[Any, ...]:
    """One row of a provider upload file, in PROVIDER_COLUMNS order; 营业时间 in words, as the provider shows it."""
    lon, lat = converted(row, target.crs)
    category = f"生活服务;工会服务阵地;{KIND_LABELS[Kind(row['kind'])].zh}"
    said = words(row)
    hours = "" if is_unknown(row["hours"]) else said.hours  # a provider shows the text: unknown is no hours
    return (row["name"], row["address"], lon, lat, target.crs_label, category, row["phone"] or "",
            hours, description(row, said), row["adcode"], row["sign_code"])


def plain_record(row: RowMapping) -> tuple[Any, ...]:
    """One row of the WGS-84 CSV/XLSX export, in PLAIN_COLUMNS order."""
    lon, lat = converted(row, Crs.WGS84)
    said = words(row)
    return (row["id"], row["sign_code"], row["kind"], row["name"], row["address"], row["adcode"], lon, lat,
            "WGS-84", row["hours"], row["self_service_hours"] or "", ";".join(row["amenities"]),
            row["phone"] or "", row["status"], row["updated_at"].isoformat(), said.hours, said.self_service or "",
            ";".join(row["access_methods"]), said.access or "", row["star_rating"], row["star_rule_version"] or "",
            row["quality_score"], row["verified_at"].isoformat() if row["verified_at"] else "")


def feature(row: RowMapping) -> dict[str, Any]:
    """An RFC 7946 Feature (WGS-84, 6 decimals, no `crs` member)."""
    lon, lat = converted(row, Crs.WGS84)
    properties = dict(zip(PLAIN_COLUMNS, plain_record(row), strict=True))
    for key in ("lon", "lat", "crs"):
        del properties[key]
    properties["kind_label"] = KIND_LABELS[Kind(row["kind"])].zh
    properties["amenities"] = list(row["amenities"])
    properties["access_methods"] = list(row["access_methods"])
    return {"type": "Feature", "id": row["id"], "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": properties}
