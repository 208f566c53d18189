"""Coverage against the 1 km / 15-minute target under /api/v1/coverage (staff, within their region): shares per
region and hour, places of unmet demand, suggested sites (JSON, GeoJSON, CSV), stations' circles, demand points."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Query, Request, Response, UploadFile

from stations.api.deps import CurrentStaff, SessionDep
from stations.api.responses import GeoJSONResponse
from stations.db.models import StaffUser
from stations.errors import Forbidden
from stations.geo.crs import Crs
from stations.geo.walking import REACH_M
from stations.schemas.coverage import (
    CoveragePublic,
    DemandImported,
    DemandRemoved,
    ShareOut,
    SuggestionOut,
    SuggestionsPublic,
)
from stations.services.coverage import exports, planning, points
from stations.services.coverage.planning import Level, Share
from stations.services.importer.limits import Limits
from stations.services.staff import auth

router = APIRouter(prefix="/api/v1/coverage", tags=["coverage"])
RegionQuery = Annotated[str, Query(max_length=6, description="adcode prefix inside your region ('' = yours)")]
HourQuery = Annotated[int | None, Query(ge=0, le=167, description="hour of the week, 0 = Monday 00:00 (Beijing)")]
KQuery = Annotated[int, Query(ge=1, le=50, description="how many new sites to suggest")]


def _today(request: Request) -> date:
    return request.app.state.clock().date()  # type: ignore[no-any-return]


def _retention(request: Request) -> int:
    return request.app.state.settings.demand_retention_days  # type: ignore[no-any-return]


def _out(share: Share, hour: int | None = None) -> ShareOut:
    return ShareOut(region=share.region, name=share.name, hour=hour, demand=share.demand, near=share.near,
                    near_open=share.near_open, share_near=round(share.share_near, 4),
                    share_open=round(share.share_open, 4))


@router.get("", response_model=CoveragePublic)
def region_coverage(user: CurrentStaff, session: SessionDep, request: Request, region: RegionQuery = "",
                    level: Level = "county", hour: HourQuery = None) -> CoveragePublic:
    """Share of demand within 1 km of a station and of an open one, per child region and per hour of the week."""
    found = planning.coverage(session=session, region=auth.read_region(user, region), level=level, hour=hour,
                              today=_today(request), retention_days=_retention(request))
    return CoveragePublic(region=found.region, level=found.level, hour=hour, reach_m=REACH_M,
                          whole=_out(found.whole), data=[_out(s) for s in found.regions], count=len(found.regions),
                          by_hour=[_out(s, h) for h, s in enumerate(found.by_hour)])


@router.get("/gaps", response_class=GeoJSONResponse)
def gaps(user: CurrentStaff, session: SessionDep, request: Request, region: RegionQuery = "", hour: HourQuery = None,
         limit: Annotated[int, Query(ge=1, le=20_000)] = 5_000) -> GeoJSONResponse:
    """Places of unmet demand (no open station within 1 km at the demand's hour), the largest first."""
    found = planning.gaps(session=session, region=auth.read_region(user, region), hour=hour, today=_today(request),
                          retention_days=_retention(request), limit=limit)
    return GeoJSONResponse(exports.gaps_geojson(found))


def _suggest(user: StaffUser, session: SessionDep, request: Request, region: str, hour: int | None,
             k: int) -> tuple[Share, list[planning.Suggestion]]:
    found, picks = planning.suggest(session=session, region=auth.read_region(user, region), hour=hour, k=k,
                                    today=_today(request), retention_days=_retention(request))
    return found.whole, picks


@router.get("/suggestions", response_model=SuggestionsPublic)
def suggestions(user: CurrentStaff, session: SessionDep, request: Request, region: RegionQuery = "",
                hour: HourQuery = None, k: KQuery = 5) -> SuggestionsPublic:
    """Up to k new sites by greedy maximum coverage of unmet demand, each with the demand it would cover."""
    whole, picks = _suggest(user, session, request, region, hour, k)
    data = [SuggestionOut(rank=s.rank, place=s.place, lon=s.lon, lat=s.lat, adcode=s.adcode, covers=s.covers,
                          places=s.places, share_gain=round(s.share_gain, 4)) for s in picks]
    return SuggestionsPublic(region=whole.region, hour=hour, share_open=round(whole.share_open, 4), data=data,
                             count=len(data))


@router.get("/suggestions.geojson", response_class=GeoJSONResponse)
def suggestions_geojson(user: CurrentStaff, session: SessionDep, request: Request, region: RegionQuery = "",
                        hour: HourQuery = None, k: KQuery = 5) -> GeoJSONResponse:
    """The suggested sites as GeoJSON points (WGS-84) for a planning meeting."""
    _, picks = _suggest(user, session, request, region, hour, k)
    return GeoJSONResponse(exports.suggestions_geojson(picks),
                           headers={"Content-Disposition": 'attachment; filename="suggested-sites.geojson"'})


@router.get("/suggestions.csv", response_class=Response)
def suggestions_csv(user: CurrentStaff, session: SessionDep, request: Request, region: RegionQuery = "",
                    hour: HourQuery = None, k: KQuery = 5) -> Response:
    """The suggested sites as CSV (UTF-8 with BOM, opens in Excel/WPS)."""
    _, picks = _suggest(user, session, request, region, hour, k)
    return Response(exports.suggestions_csv(picks), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="suggested-sites.csv"'})


@router.get("/stations", response_class=GeoJSONResponse)
def stations(user: CurrentStaff, session: SessionDep, region: RegionQuery = "") -> GeoJSONResponse:
    """Live stations of the region as points (the gap map draws their 1 km circles)."""
    return GeoJSONResponse(planning.stations(session=session, region=auth.read_region(user, region)))


@router.post("/demand-points", response_model=DemandImported)
async def import_demand_points(
    user: CurrentStaff, session: SessionDep, request: Request,
    file: Annotated[UploadFile, File(description="CSV/XLSX: 名称, 地址 (may be blank), 经度, 纬度; 类型, 权重/人数")],
    crs: Crs = Crs.WGS84,
) -> DemandImported:
    """Add demand points (delivery hubs, sanitation depots, markets) inside your region; each weighs as that many
    lookups in every hour of the week."""
    scope = auth.write_scope(user)
    content = await file.read()
    limits = Limits.from_settings(request.app.state.settings)
    read = await asyncio.to_thread(points.read_upload, content, file.filename or "upload.csv", limits=limits,
                                   crs=crs)
    stored, outside = points.store(session=session, points=read["points"], actor=user.username, scope=scope)
    return DemandImported(imported=stored, refused=[*read["refused"], *outside])


@router.delete("/demand-points", response_model=DemandRemoved)
def remove_demand_points(user: CurrentStaff, session: SessionDep, region: RegionQuery = "") -> DemandRemoved:
    """Delete the demand points of a region inside yours."""
    scope = auth.write_scope(user)
    prefix = auth.read_region(user, region)
    if not prefix.startswith(scope):
        raise Forbidden(f"region {prefix} is outside your region {scope}")
    return DemandRemoved(removed=points.remove(session=session, region=prefix))
