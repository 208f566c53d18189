"""Domain errors and the one place they become HTTP replies."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError

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


class CalendarOutOfRange(InvalidInput):
    """A date beyond the years the Chinese holiday calendar knows."""


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
    """A dependency (database, PostGIS) is not reachable."""

    status_code = 503


class SetupError(StationsError):
    """The machine lacks something to run (PostGIS, initdb); the message says what to install."""


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


def database_unavailable(exc: BaseException) -> ServiceUnavailable | None:
    """A database that cannot answer now, as a 503 the client may retry (the log keeps the cause); else None.

    A statement timeout (asyncpg's or psycopg's), or a connection refused, dropped or never made; SQLAlchemy's
    wrapping is looked through. Other database errors are ours to fix, not the client's to retry.
    """
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    if isinstance(cause, asyncpg.QueryCanceledError | psycopg.errors.QueryCanceled):
        return ServiceUnavailable("the database took too long to answer; try again in a moment", log_detail=repr(exc))
    connection_failed = type(cause) is psycopg.OperationalError  # psycopg's subclasses are query errors
    if connection_failed or isinstance(cause, OSError | asyncpg.PostgresConnectionError | asyncpg.InterfaceError):
        return ServiceUnavailable("the station database is not reachable right now; try again in a minute",
                                  log_detail=repr(exc))
    return None


def failure_reply(exc: Exception) -> StationsError:
    """What a request that raised `exc` answers: a domain error as it is, a database that cannot answer as a 503 to
    retry (`database_unavailable`), anything else as a 500 whose traceback is logged here (the client is told only
    that it was logged)."""
    if isinstance(exc, StationsError):
        return exc
    if (unavailable := database_unavailable(exc)) is not None:
        return unavailable
    log.error("request_error", exc_info=exc)
    return StationsError("the request failed on our side; it has been logged")


async def _database_error_handler(request: Request, exc: Exception) -> JSONResponse:
    return logged_reply(failure_reply(exc), path=request.url.path)


async def _validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain error, request validation error and database outage to `{"detail": message}`."""
    app.add_exception_handler(StationsError, _stations_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
    app.add_exception_handler(OperationalError, _database_error_handler)
