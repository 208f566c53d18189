"""Station resources under /api/v1/stations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import RedirectResponse

from stations.api.deps import ReadSessionsDep
from stations.api.responses import GeoJSONResponse
from stations.errors import NotFound
from stations.schemas.station import StationPublic
from stations.services.registry.public import live_public
from stations.services.trust import merging

router = APIRouter(prefix="/api/v1/stations", tags=["stations"])


@router.get("/{station_id}", response_model=StationPublic, response_class=GeoJSONResponse)
def get_station(
    station_id: Annotated[int, Path(ge=1, le=2**63 - 1, description="the station's stable id")],
    sessions: ReadSessionsDep,
    lang: Annotated[Literal["zh", "en"], Query()] = "zh",
) -> Response:
    """One station as a GeoJSON Feature; the ETag carries its version. A station merged into another redirects
    there (308)."""
    with sessions() as session:
        try:
            public, version = live_public(session=session, station_id=station_id, lang=lang)
        except NotFound:
            survivor = merging.redirect_for_id(session=session, station_id=station_id)
            if survivor is None:
                raise
            return RedirectResponse(f"/api/v1/stations/{survivor}?lang={lang}", status_code=308)
    # Written by pydantic here: returned as a model, FastAPI dumps it, validates the dump and dumps that again.
    return GeoJSONResponse.of_model(public, headers={"ETag": f'"{version}"'})
