"""Station resources under /api/v1/stations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from stations.api.deps import ReadRowsDep, ReadSessions, ReadSessionsDep
from stations.api.responses import GeoJSONResponse
from stations.errors import NotFound
from stations.schemas.station import StationPublic
from stations.services.registry.public import live_public_json
from stations.services.trust import merging

router = APIRouter(prefix="/api/v1/stations", tags=["stations"])


@router.get("/{station_id}", response_model=StationPublic, response_class=GeoJSONResponse)
async def get_station(
    station_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="the station's stable id")],
    reads: ReadRowsDep,
    sessions: ReadSessionsDep,
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """One station as a GeoJSON Feature; the ETag carries its version. A station merged into another redirects
    there (308)."""
    try:
        feature, version = await live_public_json(reads=reads, station_id=station_id, lang=lang)
    except NotFound:
        survivor = await run_in_threadpool(_survivor, sessions, station_id)
        if survivor is None:
            raise
        return RedirectResponse(f"/api/v1/stations/{survivor}?lang={lang}", status_code=308)
    return Response(feature, media_type=GeoJSONResponse.media_type, headers={"ETag": f'"{version}"'})


def _survivor(sessions: ReadSessions, station_id: int) -> int | None:
    """Where a merged station's id redirects (rare: read through a session, in a worker thread)."""
    with sessions() as session:
        return merging.redirect_for_id(session=session, station_id=station_id)
