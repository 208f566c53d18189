"""The nearest lookup over HTTP: an ASGI fast path in front of FastAPI's router, and the documented route.

`GET /api/v1/stations/nearest` is the product's hot path, so `NearestFastPath` answers it before FastAPI's routing,
dependencies and parameter validation (docs/performance.md); the FastAPI route documents it in OpenAPI and answers
the same way wherever the middleware is not in front. Both go through `app.state.nearest` (`service.Nearest`), and
both gzip a large reply for a client that accepts it (`encoding`).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from stations.api.errors import failure_reply, logged_reply
from stations.api.responses import GeoJSONResponse
from stations.nearest import encoding, params

router = APIRouter(prefix="/api/v1/stations", tags=["nearest"])
PATH = "/api/v1/stations/nearest"
_CONTENT_TYPE = (b"content-type", GeoJSONResponse.media_type.encode())


async def answer(app: FastAPI, query_string: str) -> bytes:
    """One lookup's reply body, with the app's clock and holiday calendar."""
    state = app.state
    return await state.nearest.answer(query_string, now=state.clock(), calendar=state.calendar.current)  # type: ignore[no-any-return]


@router.get("/nearest", response_class=GeoJSONResponse, openapi_extra={"parameters": params.openapi_parameters()})
async def nearest(request: Request) -> Response:
    """Nearest stations as a FeatureCollection sorted by `properties.distance_m` (true metres)."""
    try:
        body = await answer(request.app, request.url.query)
    except Exception as exc:  # mapped as the fast path maps it, so both answer a failure alike
        raise failure_reply(exc) from exc
    body, gzipped = encoding.encode(body, request.headers.get("accept-encoding", ""))
    headers = {"vary": "accept-encoding"} | ({"content-encoding": "gzip"} if gzipped else {})
    return Response(body, media_type=GeoJSONResponse.media_type, headers=headers)


class NearestFastPath:
    """ASGI middleware that answers `GET /api/v1/stations/nearest` itself and passes everything else on; its errors
    are mapped with the handlers' own `failure_reply`, as `{"detail": ...}`."""

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
        body, gzipped = encoding.encode(body, _accept_encoding(scope))
        headers = [_CONTENT_TYPE, (b"content-length", str(len(body)).encode()), encoding.VARY]
        if gzipped:
            headers.append(encoding.GZIP)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _accept_encoding(scope: Scope) -> str:
    """The request's Accept-Encoding (the first one; '' when absent)."""
    return next((value.decode("latin-1") for name, value in scope["headers"] if name == b"accept-encoding"), "")
