"""Staff writes under /api/v1/stations: register, edit (If-Match), soft delete, restore."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from stations.api.deps import CurrentStaff, IfMatchHeader, SessionDep, if_match_version
from stations.api.responses import GeoJSONResponse
from stations.errors import InvalidInput
from stations.schemas.station import StationPublic, StationRegistration
from stations.schemas.station_write import StationDelete, StationRestore, StationUpdate
from stations.services.registry import stations as service
from stations.services.registry.public import to_public
from stations.services.staff import auth

router = APIRouter(prefix="/api/v1/stations", tags=["staff"])
StationId = Annotated[int, Path(ge=1, le=2**63 - 1, description="the station's stable id")]


def _reply(station_public: StationPublic, response: Response) -> StationPublic:
    response.headers["ETag"] = f'"{station_public.properties.version}"'
    return station_public


@router.post("", response_model=StationPublic, response_class=GeoJSONResponse, status_code=status.HTTP_201_CREATED)
def create_station(
    data: StationRegistration, user: CurrentStaff, session: SessionDep, response: Response
) -> StationPublic:
    """Register a station inside the caller's region (sign code generated unless given)."""
    station = service.register(session=session, data=data, actor=user.username, scope=auth.write_scope(user))
    response.headers["Location"] = f"/api/v1/stations/{station.id}"
    return _reply(to_public(station), response)


@router.patch("/{station_id}", response_model=StationPublic, response_class=GeoJSONResponse)
def update_station(
    station_id: StationId, data: StationUpdate, user: CurrentStaff, session: SessionDep, response: Response,
    if_match: IfMatchHeader = None,
) -> StationPublic:
    """Change fields of a station; If-Match is required (428 without it, 412 with the current one if stale)."""
    expected = if_match_version(if_match, required=True)
    assert expected is not None
    station = service.update(
        session=session, station_id=station_id, data=data, expected_version=expected, actor=user.username,
        scope=auth.write_scope(user),
    )
    return _reply(to_public(station), response)


@router.delete("/{station_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_station(
    station_id: StationId, user: CurrentStaff, session: SessionDep, data: StationDelete | None = None,
    reason: Annotated[str | None, Query(min_length=2, max_length=500)] = None,
    if_match: IfMatchHeader = None,
) -> Response:
    """Withdraw a station with a reason (body or ?reason=); the row stays and the feed reports it."""
    why = data.reason if data else reason
    if not why:
        raise InvalidInput("say why the station is withdrawn: ?reason=... or a JSON body {\"reason\": ...}")
    service.delete(
        session=session, station_id=station_id, reason=why, actor=user.username,
        scope=auth.write_scope(user), expected_version=if_match_version(if_match, required=False),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{station_id}/restore", response_model=StationPublic, response_class=GeoJSONResponse)
def restore_station(
    station_id: StationId, data: StationRestore, user: CurrentStaff, session: SessionDep, response: Response
) -> StationPublic:
    """Bring back a former version from the history (undeletes a deleted station)."""
    station = service.restore(
        session=session, station_id=station_id, version=data.version, actor=user.username,
        scope=auth.write_scope(user), reason=data.reason,
    )
    return _reply(to_public(station), response)
