"""Public lookups: GET /api/v1/stations/nearest (by true distance) and GET /api/v1/stations?bbox= (viewport)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Query, Response

from stations.api.deps import NearestReaderDep, SessionDep
from stations.api.responses import GeoJSONResponse
from stations.errors import InvalidInput
from stations.geo.crs import Crs
from stations.hours import SHANGHAI
from stations.reference import Kind
from stations.services import nearest as service
from stations.services import viewport
from stations.services.nearest_geojson import feature_collection

router = APIRouter(prefix="/api/v1/stations", tags=["nearest"])


@router.get("/nearest", response_class=GeoJSONResponse)
async def nearest(
    reader: NearestReaderDep,
    lon: Annotated[float, Query(description="longitude in `crs`")],
    lat: Annotated[float, Query(description="latitude in `crs`")],
    crs: Crs = Crs.WGS84,
    kind: Annotated[list[Kind] | None, Query()] = None,
    amenity: Annotated[list[str] | None, Query(description="codes or labels; all must be present")] = None,
    open_now: bool = False,
    open_at: Annotated[datetime | None, Query(description="ISO datetime; naive means Asia/Shanghai")] = None,
    radius_m: Annotated[float | None, Query(description="metres, 1..200000")] = None,
    limit: int = 10,
    group: Literal["station", "site"] = "station",
    lang: Literal["zh", "en"] = "zh",
    out_crs: Crs = Crs.WGS84,
) -> Response:
    """Nearest stations as a FeatureCollection sorted by `properties.distance_m`."""
    if open_now and open_at is not None:
        raise InvalidInput("give either open_now=true or open_at=<ISO datetime>, not both")
    query = service.make_query(
        lon=lon, lat=lat, crs=crs, at=open_at or datetime.now(SHANGHAI), kinds=kind or [], amenities=amenity or [],
        open_only=open_now or open_at is not None, radius_m=radius_m, limit=limit, group_by_site=group == "site",
    )
    results = await reader(query)
    body = orjson.dumps(feature_collection(results, query=query, lang=lang, out_crs=out_crs))
    return Response(body, media_type=GeoJSONResponse.media_type)  # bytes: no generic encoder pass


@router.get("", response_class=GeoJSONResponse)
def in_viewport(
    session: SessionDep,
    bbox: Annotated[str, Query(description="west,south,east,north in WGS-84 degrees")],
    kind: Annotated[list[Kind] | None, Query()] = None,
    amenity: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Stations in a map viewport, or clusters with counts when there are more than 500."""
    return viewport.in_viewport(
        session=session, viewport=viewport.parse_bbox(bbox), kinds=kind or [],
        amenities=service.amenity_codes(amenity or []),
    )
