"""Provider listings: staff set a station's status per map, import POI ids; coverage and resync queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from stations.api.deps import CurrentStaff, SessionDep
from stations.reference import Provider
from stations.schemas.listings import ImportReport, ListingSet, ListingStats, ResyncItem
from stations.schemas.station import StationPublic
from stations.services.feeds import listings as service
from stations.services.registry.public import to_public
from stations.services.staff import auth

router = APIRouter(prefix="/api/v1", tags=["listings"])
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.put("/stations/{station_id}/listings/{provider}", response_model=StationPublic)
def set_listing(
    station_id: StationId, provider: Provider, data: ListingSet, user: CurrentStaff, session: SessionDep
) -> StationPublic:
    """Set the station's listing on one provider (editors inside their region, admins anywhere)."""
    station = service.get_station(session=session, station_id=station_id)
    service.set_listing(
        session=session, station=station, provider=provider, status=data.status, poi_id=data.poi_id,
        synced=data.synced, actor=user.username, scope=auth.write_scope(user),
    )
    return to_public(station)


@router.post("/listings/import", response_model=ImportReport)
def import_listings(
    user: CurrentStaff,
    session: SessionDep,
    body: Annotated[str, Body(media_type="text/csv", description="CSV: sign_code,provider,poi_id[,status]")],
) -> ImportReport:
    """Import a provider's POI ids; nothing is written when any row is bad (the report lists them)."""
    return service.import_poi_ids(session=session, text=body, actor=user.username, scope=auth.write_scope(user))


@router.get("/listings/resync", response_model=list[ResyncItem])
def resync_queue(
    user: CurrentStaff,
    session: SessionDep,
    region: str | None = None,
    provider: Provider | None = None,
    after: Annotated[int, Query(ge=0, description="keyset cursor: the last station_id of the previous page")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[ResyncItem]:
    """Listings whose station changed after the provider last received it ("needs resync")."""
    return service.needs_resync(session=session, region=region, provider=provider, after=after, limit=limit)


@router.get("/stats/listings", response_model=ListingStats)
def listing_stats(session: SessionDep, region: str | None = None) -> ListingStats:
    """Listing coverage of a region for the dashboard: per provider, stale listings, 双上图 share."""
    return service.stats(session=session, region=region)
