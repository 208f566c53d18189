"""Station resources under /api/v1/stations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from stations.api.deps import ReadSessionDep
from stations.api.responses import GeoJSONResponse
from stations.schemas.station import StationPublic
from stations.services.registry import stations as service
from stations.services.registry.public import to_public

router = APIRouter(prefix="/api/v1/stations", tags=["stations"])


@router.get("/{station_id}", response_model=StationPublic, response_class=GeoJSONResponse)
def get_station(
    station_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="the station's stable id")],
    session: ReadSessionDep,
    response: Response,
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> StationPublic:
    """One station as a GeoJSON Feature; the ETag carries its version."""
    station = service.get(session=session, station_id=station_id)
    response.headers["ETag"] = f'"{station.version}"'
    return to_public(station, lang=lang)
