"""OGC API - Features Part 1 at /ogc (landing, conformance, collections, items)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from stations.api.deps import SessionDep
from stations.api.responses import GeoJSONResponse
from stations.services import ogc as service
from stations.services.ogc_params import parse_items_query

router = APIRouter(prefix="/ogc", tags=["ogc"])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("", response_class=JSONResponse)
def landing(request: Request) -> dict[str, Any]:
    """Landing page."""
    return service.landing(base=_base(request))


@router.get("/conformance", response_class=JSONResponse)
def conformance() -> dict[str, Any]:
    """Conformance classes: core, geojson, oas30."""
    return service.conformance()


@router.get("/collections", response_class=JSONResponse)
def collections(request: Request, session: SessionDep) -> dict[str, Any]:
    """All collections (one: stations)."""
    return service.collections(session=session, base=_base(request))


@router.get(f"/collections/{service.COLLECTION_ID}", response_class=JSONResponse)
def collection(request: Request, session: SessionDep) -> dict[str, Any]:
    """The stations collection with its CRS84 extent."""
    return service.collection(session=session, base=_base(request))


@router.get(f"/collections/{service.COLLECTION_ID}/items", response_class=GeoJSONResponse)
def items(request: Request, session: SessionDep) -> GeoJSONResponse:
    """Live stations: bbox, datetime (last change), kind, limit; keyset `next` links."""
    params = dict(request.query_params)
    page = service.items(session=session, base=_base(request), query=parse_items_query(params), params=params)
    return GeoJSONResponse(page)


@router.get(f"/collections/{service.COLLECTION_ID}/items/{{feature_id}}", response_class=GeoJSONResponse)
def item(feature_id: str, request: Request, session: SessionDep) -> GeoJSONResponse:
    """One live station as a Feature."""
    return GeoJSONResponse(service.item(session=session, base=_base(request), feature_id=feature_id))
