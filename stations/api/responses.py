"""What the app answers: our media types, and the documented responses of every operation (`document_responses`).

Every error reply is `{"detail": "<message>"}` (stations.errors), whatever its status, 422 included, where FastAPI
documents an array of validation errors. `document_responses` writes that shape into the OpenAPI document once,
for every status an operation can send, derived from what the route depends on (a database session, a login, an
admin, an API key, an If-Match header, path parameters, a body) plus `SENDS` for what only a route's service knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson
from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from stations.api import deps
from stations.api.keys import api_client
from stations.services.feeds.exports import TARGETS


class GeoJSONResponse(JSONResponse):
    """RFC 7946 GeoJSON."""

    media_type = "application/geo+json"


class PageOfFeatures(GeoJSONResponse):
    """GeoJSON written by orjson: the same document as `GeoJSONResponse` writes for ours (compact, UTF-8, string
    keys, finite numbers), 10-23x faster; the standard library's encoder was a tenth to a fifth of an OGC page of 100
    features (measured in one process)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


ERROR_SCHEMA = {
    "title": "Error", "type": "object", "required": ["detail"],
    "properties": {"detail": {"type": "string", "description": "what went wrong and what to do about it"}},
}
MEANINGS = {
    301: "moved for good: a merged station's sign code, see Location",
    308: "a station merged into another: the survivor's URL is in Location",
    413: "an upload past a size limit", 415: "a file type we do not take",
    204: "nothing to send", 304: "not modified since the ETag in If-None-Match",
    400: "a malformed request: a parameter a standard (OGC API, tiles) defines, an If-Match header, a body that is"
         " not JSON",
    401: "no valid credentials: log in (bearer token or staff cookie) or send X-API-Key",
    403: "logged in, but the role, the region or the CSRF token does not allow this",
    404: "no such resource", 409: "the write clashes with what is stored (a unique sign code, a username...), or the"
                                  " installation lacks a setting it needs (signs need a public https address)",
    412: "If-Match names a version that is not the current one (the body carries the current one)",
    422: "input that cannot be valid as given; `detail` names the field and what to send",
    428: "a write that must name the version it changes (If-Match) did not",
    429: "too many requests; `detail` says when to retry", 500: "a failure on our side; it has been logged",
    503: "the database cannot answer now; retry after the seconds in Retry-After",
}
SENDS: dict[tuple[str, str], dict[int, str]] = {
    ("POST", "/api/v1/auth/token"): {401: "json", 429: "json"},
    ("POST", "/api/v1/stations/{station_id}/reports"): {409: "json", 429: "json"},
    ("GET", "/api/v1/stations/nearest"): {503: "json"},
    ("GET", "/readyz"): {503: "json"},
    ("GET", "/api/v1/feed/changes"): {304: ""},
    ("GET", "/api/v1/signs.pdf"): {404: "json", 409: "json"},
    ("GET", "/api/v1/stations/{station_id}/sign.svg"): {409: "json"},
    ("GET", "/api/v1/stations/{station_id}/sign.pdf"): {409: "json"},
    ("GET", "/ogc/collections/stations/items"): {400: "json"},
    ("GET", "/tiles/{z}/{x}/{y}.mvt"): {204: "", 304: "", 400: "json"},
    ("GET", "/s/{sign_code}"): {301: "", 404: "text/html"},
    ("GET", "/api/v1/stations/{station_id}"): {308: ""},
    ("POST", "/api/v1/stations/{station_id}/checkins"): {409: "json", 429: "json"},
    ("POST", "/api/v1/stations/{station_id}/photos"): {413: "json", 415: "json"},
    ("GET", "/api/v1/duplicates"): {403: "json"},
    ("POST", "/api/v1/duplicates/dismiss"): {404: "json"},
    ("POST", "/api/v1/alerts/cap"): {401: "json", 404: "json", 413: "json"},  # issue 24
    **{(method, f"/api/v1/coverage{path}"): {403: "json"} for method, path in (  # issue 23
        ("GET", ""), ("GET", "/gaps"), ("GET", "/suggestions"), ("GET", "/suggestions.geojson"),
        ("GET", "/suggestions.csv"), ("GET", "/stations"), ("POST", "/demand-points"), ("DELETE", "/demand-points"))},
}
"""Statuses a route sends that its dependencies do not tell: (method, path) -> {status: media type}."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUCCESS_MEDIA: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/api/v1/imports/template.csv"): ("text/csv",),
    ("GET", "/api/v1/imports/template.xlsx"): (XLSX,),
    ("GET", "/api/v1/exports/{fmt}"): tuple(sorted({target.media_type.split(";")[0] for target in TARGETS.values()})),
    ("GET", "/api/v1/stations/{station_id}/sign.svg"): ("image/svg+xml",),
    ("GET", "/api/v1/stations/{station_id}/sign.pdf"): ("application/pdf",),
    ("GET", "/api/v1/signs.pdf"): ("application/pdf",),
    ("GET", "/photos/{photo_id}.jpg"): ("image/jpeg",),
    ("GET", "/photos/{photo_id}.thumb.jpg"): ("image/jpeg",),
    ("GET", "/api/v1/coverage/suggestions.csv"): ("text/csv",),
}
"""Media types of success replies that routes build by hand (FastAPI documents those as JSON)."""


def document_responses(app: FastAPI) -> None:
    """Make `app.openapi()` document our error shape and every status each operation sends."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
            for path, method, route in _operations(app):
                operation = schema["paths"][path][method.lower()]
                operation["responses"] = _responses(operation["responses"], _sends(route, path, method))
                if media := SUCCESS_MEDIA.get((method, path)):
                    success = next(code for code in operation["responses"] if code.startswith("2"))
                    operation["responses"][success]["content"] = {m: {"schema": {}} for m in media}
            for unused in ("HTTPValidationError", "ValidationError"):
                schema["components"]["schemas"].pop(unused, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _operations(app: FastAPI) -> Iterable[tuple[str, str, APIRoute]]:
    """(path, method, route) of every documented operation; FastAPI 0.165 keeps included routes behind contexts."""
    contexts = getattr(routing, "iter_route_contexts", None)
    for item in contexts(app.routes) if contexts else app.routes:
        route = getattr(item, "original_route", item)
        if isinstance(route, APIRoute) and getattr(item, "include_in_schema", False):
            for method in getattr(item, "methods", None) or ():
                yield str(getattr(item, "path_format", route.path_format)), method, route


def _sends(route: APIRoute, path: str, method: str) -> dict[int, str]:
    """Every status `route` may answer `method` with, and its media type ("" for none)."""
    every = list(_walk(route.dependant))
    calls = {dependant.call for dependant in every}
    headers = {param.alias.lower() for dependant in every for param in dependant.header_params}
    writes = method not in deps.SAFE_METHODS
    rules: list[tuple[bool, Iterable[int]]] = [
        (True, (422, 500)),
        (bool(calls & {deps.get_session, deps.get_stream_session, deps.get_read_session, deps.get_read_stream_session,
                         deps.get_read_sessions}),
         (503,)),
        (writes and deps.get_session in calls, (409,)),
        (deps.current_token in calls, (401,)),
        (deps.current_admin in calls or (writes and deps.current_token in calls), (403,)),
        (api_client in calls, (401, 429)),
        (any(dependant.path_params for dependant in every), (404,)),
        (any(dependant.body_params for dependant in every), (400,)),
        ("if-match" in headers, (400, 412)),
        ("if-match" in headers and method == "PATCH", (428,)),
    ]
    sends = {status: "json" for applies, statuses in rules if applies for status in statuses}
    return sends | SENDS.get((method, path), {})


def _walk(dependant: Dependant) -> Iterable[Dependant]:
    """The route's dependant and every dependency under it."""
    yield dependant
    for dependency in dependant.dependencies:
        yield from _walk(dependency)


def _responses(documented: dict[str, Any], sends: dict[int, str]) -> dict[str, Any]:
    """`documented` (FastAPI's) with every status in `sends` described; errors as `{"detail": string}`."""
    out = {code: reply for code, reply in documented.items() if code != "422"}
    for status, media in sorted(sends.items()):
        reply: dict[str, Any] = {"description": MEANINGS[status]}
        if media == "json":
            reply["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        elif media:
            reply["content"] = {media: {"schema": {"type": "string"}}}
        out.setdefault(str(status), reply)
    return dict(sorted(out.items()))


