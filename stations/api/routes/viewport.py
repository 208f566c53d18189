"""GET /api/v1/stations?bbox=: the stations (or clusters of them) in a map viewport."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from stations.api.deps import ReadSessionDep
from stations.api.responses import GeoJSONResponse
from stations.nearest import amenity_codes
from stations.reference import Kind
from stations.services.registry import viewport

router = APIRouter(prefix="/api/v1/stations", tags=["nearest"])


@router.get("", response_class=GeoJSONResponse)
def in_viewport(
    session: ReadSessionDep,
    bbox: Annotated[str, Query(description="west,south,east,north in WGS-84 degrees")],
    kind: Annotated[list[Kind] | None, Query()] = None,
    amenity: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Stations in a map viewport, or clusters with counts when there are more than 500."""
    return viewport.in_viewport(
        session=session, viewport=viewport.parse_bbox(bbox), kinds=kind or [], amenities=amenity_codes(amenity or []),
    )
