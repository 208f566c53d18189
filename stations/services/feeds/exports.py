"""Exports of live stations for GIS tools and map providers, streamed row by row.

Rows come from a server-side cursor (`stream_results`, a batch of `BATCH` rows in memory at a time) and
are written as they arrive, so a national export never holds all stations in memory. Coordinates are
converted per provider with stations.geo.crs: Amap and Tencent take GCJ-02, Baidu BD-09; GeoJSON, CSV
and XLSX stay WGS-84. Every provider file states its system in a `坐标系` column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from stations.db.sync_queries import EXPORT_ROWS
from stations.geo.crs import Crs, from_wgs84
from stations.reference import AMENITIES, KIND_LABELS, Kind
from stations.regions import region_prefix

BATCH = 2000
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


def rows(*, session: Session, region: str | None = None) -> Iterator[RowMapping]:
    """Live stations of a region (province/city/county adcode; None = all) in id order, streamed."""
    statement = EXPORT_ROWS.execution_options(stream_results=True, max_row_buffer=BATCH)
    result = session.execute(statement, {"region": region_prefix(region)})
    yield from result.mappings().yield_per(BATCH)


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
    return (row["name"], row["address"], lon, lat, target.crs_label, category, row["phone"] or "",
            row["hours"], description(row), row["adcode"], row["sign_code"])


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


def stream(*, session: Session, fmt: ExportFormat, region: str | None = None) -> Iterator[bytes]:
    """The export as byte chunks (CSV and GeoJSON a batch at a time; XLSX via openpyxl write-only)."""
    if fmt is ExportFormat.GEOJSON:
        return _geojson(rows(session=session, region=region))
    if fmt is ExportFormat.XLSX:
        from stations.services.feeds.export_xlsx import xlsx

        return xlsx(rows(session=session, region=region))
    target = TARGETS[fmt]
    if target.crs is Crs.WGS84:
        return _csv(PLAIN_COLUMNS, (plain_record(r) for r in rows(session=session, region=region)))
    return _csv(PROVIDER_COLUMNS, (provider_record(r, target) for r in rows(session=session, region=region)))


def _csv(header: tuple[str, ...], records: Iterator[tuple[Any, ...]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # BOM: Excel (the providers' templates are Excel files) then reads UTF-8 Chinese
    writer.writerow(header)
    for n, record in enumerate(records, start=1):
        writer.writerow(record)
        if n % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _geojson(source: Iterator[RowMapping]) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    chunk: list[str] = []
    for n, row in enumerate(source):
        chunk.append(("," if n else "") + json.dumps(feature(row), ensure_ascii=False, separators=(",", ":")))
        if len(chunk) == BATCH:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    yield ("".join(chunk) + "]}").encode("utf-8")
