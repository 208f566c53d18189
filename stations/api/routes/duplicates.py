"""Possible duplicates and merging under /api/v1 (staff with write rights in the region)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from stations.api.deps import CurrentStaff, SessionDep
from stations.api.responses import GeoJSONResponse
from stations.schemas.station import StationPublic
from stations.schemas.trust import DismissRequest, DuplicatesPublic, MergeRequest
from stations.services.registry.public import to_public
from stations.services.staff import auth
from stations.services.trust import duplicates, merging

router = APIRouter(prefix="/api/v1", tags=["duplicates"])


@router.get("/duplicates", response_model=DuplicatesPublic)
def list_duplicates(
    user: CurrentStaff, session: SessionDep,
    region: Annotated[str, Query(max_length=6, description="adcode prefix inside your region")] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> DuplicatesPublic:
    """Pairs within 25 m (likely) or up to 500 m with similar names (possible), likely first, then nearest."""
    prefix = auth.read_region(user, region)
    count, found = duplicates.pairs(session=session, region=prefix, limit=limit)
    return DuplicatesPublic(data=found, count=count)


@router.post("/stations/{station_id}/merge", response_model=StationPublic, response_class=GeoJSONResponse)
def merge_station(station_id: Annotated[int, Path(ge=1, le=2**63 - 1)], data: MergeRequest, user: CurrentStaff,
                  session: SessionDep, request: Request, response: Response) -> StationPublic:
    """Merge `other_id` into this station: this one keeps its id and sign code; the other's redirect here."""
    survivor = merging.merge(session=session, survivor_id=station_id, other_id=data.other_id, actor=user.username,
                             scope=auth.write_scope(user), now=request.app.state.clock(), reason=data.reason)
    response.headers["ETag"] = f'"{survivor.version}"'
    return to_public(survivor)


@router.post("/duplicates/dismiss", status_code=status.HTTP_204_NO_CONTENT)
def dismiss_pair(data: DismissRequest, user: CurrentStaff, session: SessionDep) -> Response:
    """Two stations are different places: the pair leaves the duplicates view."""
    duplicates.dismiss(session=session, a_id=data.a_id, b_id=data.b_id, actor=user.username,
                       scope=auth.write_scope(user))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
