"""Public lookups: GET /api/v1/stations/nearest (by true distance) and GET /api/v1/stations?bbox= (viewport).

The nearest lookup is the product's hot path. `NearestFastPath` answers it in front of FastAPI's router, which
spent 0.38 ms of CPU a request on routing, dependencies and parameter validation (bench: 0.47 ms for an empty
FastAPI route with these 13 parameters, 0.09 ms for the same reply from a bare ASGI callable). The FastAPI
route below documents it in OpenAPI and answers the same way wherever the middleware is not in front.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated, Any, Protocol

import orjson
from fastapi import APIRouter, FastAPI, Query, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from stations.api import nearest_params
from stations.api.deps import SessionDep
from stations.api.errors import failure_reply, logged_reply
from stations.api.responses import GeoJSONResponse
from stations.reference import Kind
from stations.services import nearest as service
from stations.services import viewport
from stations.services.nearest import Nearby, NearestQuery
from stations.services.nearest_geojson import feature_collection

router = APIRouter(prefix="/api/v1/stations", tags=["nearest"])
PATH = "/api/v1/stations/nearest"


class NearestReader(Protocol):
    """How a lookup reaches the database: `app.state.nearest_reader`, set in the lifespan (tests swap it)."""

    def __call__(self, *, query: NearestQuery) -> Awaitable[list[Nearby]]: ...


async def answer(app: FastAPI, query_string: str) -> bytes:
    """The reply body of one lookup; raises StationsError for input a person must fix."""
    request = nearest_params.parse(query_string, now=app.state.clock(), calendar=app.state.calendar.current)
    reader: NearestReader = app.state.nearest_reader
    results = await reader(query=request.query)
    return orjson.dumps(feature_collection(results, query=request.query, lang=request.lang,
                                           out_crs=request.out_crs))


@router.get("/nearest", response_class=GeoJSONResponse,
            openapi_extra={"parameters": nearest_params.openapi_parameters()})
async def nearest(request: Request) -> Response:
    """Nearest stations as a FeatureCollection sorted by `properties.distance_m` (true metres)."""
    try:
        body = await answer(request.app, request.url.query)
    except Exception as exc:  # mapped as the fast path maps it, so both answer a failure alike
        raise failure_reply(exc) from exc
    return Response(body, media_type=GeoJSONResponse.media_type)


class NearestFastPath:
    """ASGI middleware that answers `GET /api/v1/stations/nearest` itself and passes everything else on.

    Its errors never reach FastAPI's handlers, so it maps them with the handlers' own `errors.failure_reply`: domain
    errors to their status, a database that cannot answer to 503, anything else to a logged 500, all as
    `{"detail": ...}`. (Placed outermost, ahead of FastAPI's own three middleware layers, it measured no faster.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        try:
            body = await answer(scope["app"], scope["query_string"].decode("latin-1"))
        except Exception as exc:  # every failure becomes a {"detail"} reply here
            await logged_reply(failure_reply(exc), path=PATH)(scope, receive, send)
            return
        await send_reply(send, body)


_CONTENT_TYPE = (b"content-type", GeoJSONResponse.media_type.encode())


async def send_reply(send: Send, body: bytes) -> None:
    """Send `body` as a 200 GeoJSON reply straight through ASGI (the fast path's; `bench.layers` answers alike)."""
    headers = [_CONTENT_TYPE, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@router.get("", response_class=GeoJSONResponse)
def in_viewport(
    session: SessionDep,
    bbox: Annotated[str, Query(description="west,south,east,north in WGS-84 degrees")],
    kind: Annotated[list[Kind] | None, Query()] = None,
    amenity: Annotated[list[str] | None, Query()] = None,
) -> dict[str, Any]:
    """Stations in a map viewport, or clusters with counts when there are more than 500."""
    return viewport.in_viewport(
        session=session, viewport=viewport.parse_bbox(bbox), kinds=kind or [],
        amenities=service.amenity_codes(amenity or []),
    )
