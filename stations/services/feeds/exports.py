"""Exports of live stations for GIS tools and map providers, streamed row by row.

Rows come from a server-side cursor (`stream_results`, a batch of `BATCH` rows in memory at a time) and
are written as they arrive, so a national export never holds all stations in memory. Coordinates are
converted per provider with stations.geo.crs: Amap and Tencent take GCJ-02, Baidu BD-09; GeoJSON, CSV
and XLSX stay WGS-84. Every provider file states its system in a `坐标系` column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from stations.db.sync_queries import EXPORT_ROWS
from stations.geo.crs import Crs
from stations.regions import region_prefix
from stations.services.feeds.export_records import (
    PLAIN_COLUMNS,
    PROVIDER_COLUMNS,
    TARGETS,
    ExportFormat,
    Target,
    feature,
    plain_record,
    provider_record,
    safe_cell,
)
from stations.services.feeds.export_xlsx import xlsx

__all__ = ["BATCH", "TARGETS", "ExportFormat", "Target", "rows", "stream"]

BATCH = 2000


def rows(*, session: Session, region: str | None = None) -> Iterator[RowMapping]:
    """Live stations of a region (province/city/county adcode; None = all) in id order, streamed."""
    statement = EXPORT_ROWS.execution_options(stream_results=True, max_row_buffer=BATCH)
    result = session.execute(statement, {"region": region_prefix(region)})
    yield from result.mappings().yield_per(BATCH)


def stream(*, session: Session, fmt: ExportFormat, region: str | None = None) -> Iterator[bytes]:
    """The export as byte chunks (CSV and GeoJSON a batch at a time; XLSX via openpyxl write-only)."""
    if fmt is ExportFormat.GEOJSON:
        return _geojson(rows(session=session, region=region))
    if fmt is ExportFormat.XLSX:
        return xlsx(rows(session=session, region=region))
    target = TARGETS[fmt]
    if target.crs is Crs.WGS84:
        return _csv(PLAIN_COLUMNS, (plain_record(r) for r in rows(session=session, region=region)))
    return _csv(PROVIDER_COLUMNS, (provider_record(r, target) for r in rows(session=session, region=region)))


def _csv(header: tuple[str, ...], records: Iterator[tuple[Any, ...]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")  # BOM: Excel (the providers' templates are Excel files) then reads UTF-8 Chinese
    writer.writerow(header)  # every cell but the header's through `safe_cell` (OWASP CSV injection)
    for n, record in enumerate(records, start=1):
        writer.writerow([safe_cell(value) for value in record])
        if n % BATCH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _geojson(source: Iterator[RowMapping]) -> Iterator[bytes]:
    """The FeatureCollection a batch at a time, each Feature by orjson (the same bytes as the standard library's
    compact, non-ASCII dump of these values; a quarter of the export's time went to that dump)."""
    yield b'{"type":"FeatureCollection","features":['
    chunk: list[bytes] = []
    for n, row in enumerate(source):
        chunk.append((b"," if n else b"") + orjson.dumps(feature(row)))
        if len(chunk) == BATCH:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk) + b"]}"
