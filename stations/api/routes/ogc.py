"""OGC API - Features Part 1 at /ogc (landing, conformance, collections, items); links from the public origin."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from stations.api.deps import ReadRowsDep, ReadSessionDep, SettingsDep
from stations.api.links import public_base
from stations.api.responses import GeoJSONResponse, PageOfFeatures
from stations.services.feeds import ogc as service
from stations.services.feeds.ogc_params import parse_items_query

router = APIRouter(prefix="/ogc", tags=["ogc"])


@router.get("", response_class=JSONResponse)
def landing(settings: SettingsDep) -> dict[str, Any]:
    """Landing page."""
    return service.landing(base=public_base(settings))


@router.get("/conformance", response_class=JSONResponse)
def conformance() -> dict[str, Any]:
    """Conformance classes: core, geojson, oas30."""
    return service.conformance()


@router.get("/collections", response_class=JSONResponse)
def collections(session: ReadSessionDep, settings: SettingsDep) -> dict[str, Any]:
    """All collections (one: stations)."""
    return service.collections(session=session, base=public_base(settings))


@router.get(f"/collections/{service.COLLECTION_ID}", response_class=JSONResponse)
def collection(session: ReadSessionDep, settings: SettingsDep) -> dict[str, Any]:
    """The stations collection with its CRS84 extent."""
    return service.collection(session=session, base=public_base(settings))


@router.get(f"/collections/{service.COLLECTION_ID}/items", response_class=GeoJSONResponse)
async def items(request: Request, reads: ReadRowsDep, settings: SettingsDep) -> PageOfFeatures:
    """Live stations: bbox, datetime (last change), kind, limit; keyset `next` links."""
    params = dict(request.query_params)
    query = parse_items_query(params)
    return PageOfFeatures(await service.items(reads=reads, base=public_base(settings), query=query, params=params))


@router.get(f"/collections/{service.COLLECTION_ID}/items/{{feature_id}}", response_class=GeoJSONResponse)
async def item(feature_id: str, reads: ReadRowsDep, settings: SettingsDep) -> PageOfFeatures:
    """One live station as a Feature."""
    return PageOfFeatures(await service.item(reads=reads, base=public_base(settings), feature_id=feature_id))
