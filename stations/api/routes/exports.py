"""Exports over HTTP: GET /api/v1/exports/{format}?region=, streamed as a file download."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from stations.api.deps import ReadStreamSessionDep
from stations.api.keys import api_client
from stations.regions import region_prefix
from stations.services.feeds import exports as service
from stations.services.feeds.exports import ExportFormat

router = APIRouter(prefix="/api/v1/exports", dependencies=[Depends(api_client)], tags=["exports"])


@router.get("/{fmt}", response_class=StreamingResponse)
def export(
    fmt: ExportFormat,
    session: ReadStreamSessionDep,
    region: Annotated[str | None, Query(description="adcode of a province, city or county; empty = all")] = None,
) -> StreamingResponse:
    """Live stations as geojson, csv, xlsx (WGS-84) or amap/tencent (GCJ-02) / baidu (BD-09) upload files."""
    region_prefix(region)  # a bad region is a 422 before the download starts
    target = service.TARGETS[fmt]
    filename = f"stations-{fmt.value}{'-' + region if region else ''}.{target.extension}"
    return StreamingResponse(
        service.stream(session=session, fmt=fmt, region=region),
        media_type=target.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Coordinate-System": target.crs_label},
    )
