"""The one place errors become HTTP replies: domain errors by their status, database failures by their class, and
anything else as a logged 500, always as `{"detail": "<message>"}`."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stations.db.errors import as_failure
from stations.errors import StationsError, Unauthorized

log = logging.getLogger(__name__)


async def _stations_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StationsError)
    return logged_reply(exc, path=request.url.path)


def logged_reply(exc: StationsError, *, path: str) -> JSONResponse:
    """Log a domain error with its detail for us, and return the reply with its message for the client."""
    log.info("request_failed", extra={"path": path, "status": exc.status_code, "detail": exc.log_detail or exc.message})
    return error_response(exc)


def error_response(exc: StationsError) -> JSONResponse:
    """The reply for a domain error: `{"detail": message}` plus any extra fields, with its status and headers
    (`Retry-After` when it says when to retry; `WWW-Authenticate` on a 401)."""
    return JSONResponse({"detail": exc.message, **exc.extra}, status_code=exc.status_code, headers=headers_of(exc))


def headers_of(exc: StationsError) -> dict[str, str]:
    """The HTTP headers a domain error's reply carries."""
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else {}
    return headers | {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else headers


def failure_reply(exc: Exception) -> StationsError:
    """What a request that raised `exc` answers (`db.errors.as_failure`)."""
    return as_failure(exc)


async def _validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "header", "form"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)


async def _last_resort(request: Request, exc: Exception) -> JSONResponse:
    return logged_reply(failure_reply(exc), path=request.url.path)


class ErrorReplies:
    """ASGI middleware, outermost: whatever raised and was not answered becomes `failure_reply`'s `{"detail"}` JSON,
    whether it came from a route, a dependency, a middleware (the nearest fast path) or a streamed body.

    A reply's start is held until its first body chunk, so a stream that fails before its first chunk (an export
    whose first query meets a database that went away) still gets a proper status instead of a cut 200. A stream
    that fails later cannot change its status: the error is logged and the connection closed.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []
        sent = False

        async def send_after_first_chunk(message: Message) -> None:
            nonlocal sent
            if message["type"] == "http.response.start":
                held.append(message)
                return
            if held:
                sent = True
                await send(held.pop())
            await send(message)

        try:
            await self.app(scope, receive, send_after_first_chunk)
        except Exception as exc:
            if sent:
                log.error("response_failed_after_start", extra={"path": scope["path"]}, exc_info=exc)
                raise
            await logged_reply(failure_reply(exc), path=scope["path"])(scope, receive, send)
            return
        if held:  # a reply that ended without a body message
            await send(held.pop())


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain error, request validation error and any other failure to `{"detail": message}` (call it
    after adding the other middleware: it must be the outermost)."""
    app.add_exception_handler(StationsError, _stations_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(Exception, _last_resort)  # Starlette's outermost layer, for middleware added later
    app.add_middleware(ErrorReplies)
