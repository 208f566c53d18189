"""Domain errors and the one place they become HTTP replies."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)


class StationsError(Exception):
    """Base of every error a user can act on; carries its HTTP status and a user message."""

    status_code = 500
    headers: dict[str, str] | None = None

    def __init__(self, message: str, *, log_detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.log_detail = log_detail
        self.extra: dict[str, Any] = {}


class InvalidInput(StationsError):
    """Input that can never be valid as given (bad coordinates, hours, region code...)."""

    status_code = 422


class InvalidCoordinates(InvalidInput):
    """Coordinates that are NaN, out of range, swapped or outside China."""


class InvalidHours(InvalidInput):
    """An opening_hours expression the parser rejects."""


class InvalidRegion(InvalidInput):
    """A region code (adcode) that is malformed or unknown."""


class TooLarge(InvalidInput):
    """An upload beyond a size limit (bytes, rows, columns, unpacked size, time or memory to check it)."""

    status_code = 413


class BadRequest(StationsError):
    """A malformed or unknown query parameter where a standard (OGC API) asks for 400, not 422."""

    status_code = 400


class NotFound(StationsError):
    """The thing asked for does not exist."""

    status_code = 404


class Conflict(StationsError):
    """The write clashes with what is stored (duplicate sign code...)."""

    status_code = 409


class PreconditionFailed(StationsError):
    """The client's version (If-Match) is stale."""

    status_code = 412


class StaleVersion(PreconditionFailed):
    """The client's If-Match names an older version; `extra` carries the current one."""

    def __init__(self, message: str, *, current_version: int, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.extra = {"current_version": current_version, "current": current}


class PreconditionRequired(StationsError):
    """A write that must name the version it changes (If-Match) did not."""

    status_code = 428


class Unauthorized(StationsError):
    """No valid credentials: log in first."""

    status_code = 401
    headers = {"WWW-Authenticate": "Bearer"}  # noqa: RUF012 (class-level constant)


class Forbidden(StationsError):
    """Logged in, but the role or region scope does not allow this."""

    status_code = 403


class TooManyRequests(StationsError):
    """Too many attempts (login back-off); the message says when to retry."""

    status_code = 429


class ServiceUnavailable(StationsError):
    """A dependency (database, PostGIS) cannot answer now; `Retry-After` says when to try again."""

    status_code = 503

    def __init__(self, message: str, *, log_detail: str | None = None, retry_after: int = 5) -> None:
        super().__init__(message, log_detail=log_detail)
        self.headers = {"Retry-After": str(retry_after)}


class SetupError(StationsError):
    """The machine lacks something to run (PostGIS, initdb); the message says what to install."""


# --- database errors, by SQLSTATE class where the server sent one (both drivers carry it) ---
UNAVAILABLE = "the station database is not reachable right now; try again in a minute"
BUSY = "the database is busy; try again in a moment"
_UNAVAILABLE_STATES = ("08", "53", "57P01", "57P02", "57P03", "58")  # connection, resources, shutdown, start, I/O
_BUSY_STATES = {"57014": "the database took too long to answer; try again in a moment",  # statement timeout
                "40001": BUSY, "40P01": BUSY, "55P03": BUSY}  # serialization, deadlock, lock timeout
_ASYNCPG_CLIENT_DATA = asyncpg.exceptions._base.DataError  # a query argument asyncpg cannot encode
_CONFLICT_STATES = {"23505": "it is already stored", "23P01": "it overlaps what is stored",
                    "23503": "it refers to something that does not exist, or something refers to it"}


def database_error(exc: BaseException) -> StationsError | None:
    """A database failure as the reply it deserves, the driver's words kept for the log; None when it is ours to
    fix (bad SQL, a missing table: a logged 500).

    503 with Retry-After: the server is down, starting, shutting down, out of connections or unreachable, the
    connection broke or the pool has none free (5 s); a statement timeout, deadlock or serialization failure (1 s).
    422: a value the database refuses (SQLSTATE class 22, NUL in text, a not-null or check violation, text UTF-8
    cannot carry). 409: a unique, exclusion or foreign-key violation: the client's write clashes with what is stored.
    """
    cause = exc.orig if isinstance(exc, sa.StatementError) and exc.orig is not None else exc
    state = getattr(cause, "sqlstate", None) or ""
    detail = repr(exc)
    if state in _BUSY_STATES or isinstance(exc, sa.TimeoutError):
        return ServiceUnavailable(_BUSY_STATES.get(state, BUSY), log_detail=detail, retry_after=1)
    if state.startswith(_UNAVAILABLE_STATES) or _connection_lost(exc, cause):
        return ServiceUnavailable(UNAVAILABLE, log_detail=detail)
    if state.startswith("22") or state in ("23502", "23514") or _refused_value(cause):
        return InvalidInput(f"the database cannot store a value as given: {_first_line(cause)}", log_detail=detail)
    if state in _CONFLICT_STATES:
        return Conflict(f"the change clashes with what is stored: {_CONFLICT_STATES[state]}", log_detail=detail)
    return None


def _connection_lost(exc: BaseException, cause: BaseException) -> bool:
    """No connection, or one that broke: refused, reset, closed, or asyncpg's protocol left in a state it cannot
    leave ("cannot switch to state 12"); psycopg raises its base OperationalError without SQLSTATE for these."""
    if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
        return True
    if type(cause) is psycopg.OperationalError or isinstance(cause, psycopg.InterfaceError):
        return True
    lost = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError, asyncpg.InternalClientError)
    return isinstance(cause, lost) and not isinstance(cause, _ASYNCPG_CLIENT_DATA)


def _refused_value(cause: BaseException) -> bool:
    """A value refused before it reached the server: psycopg's NUL in text, asyncpg's argument it cannot encode,
    text with a lone surrogate, which UTF-8 cannot carry."""
    return isinstance(cause, psycopg.DataError | _ASYNCPG_CLIENT_DATA | UnicodeEncodeError)


def _first_line(cause: BaseException) -> str:
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]


async def _stations_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StationsError)
    return logged_reply(exc, path=request.url.path)


def logged_reply(exc: StationsError, *, path: str) -> JSONResponse:
    """Log a domain error with its detail for us, and return the reply with its message for the client."""
    log.info("request_failed", extra={"path": path, "status": exc.status_code, "detail": exc.log_detail or exc.message})
    return error_response(exc)


def error_response(exc: StationsError) -> JSONResponse:
    """The reply for a domain error: `{"detail": message}` plus any extra fields, with its status."""
    return JSONResponse({"detail": exc.message, **exc.extra}, status_code=exc.status_code, headers=exc.headers)


def failure_reply(exc: Exception) -> StationsError:
    """What a request that raised `exc` answers: a domain error as it is, a database error by its class
    (`database_error`), anything else as a 500 whose traceback is logged here (the client is told only that it was
    logged)."""
    if isinstance(exc, StationsError):
        return exc
    if (mapped := database_error(exc)) is not None:
        return mapped
    log.error("request_error", exc_info=exc)
    return StationsError("the request failed on our side; it has been logged")


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
