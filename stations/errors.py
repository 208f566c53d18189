"""Domain errors and the one place they become HTTP replies."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

log = logging.getLogger(__name__)


class StationsError(Exception):
    """Base of every error a user can act on; carries its HTTP status and a user message."""

    status_code = 500

    def __init__(self, message: str, *, log_detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.log_detail = log_detail


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


class NotFound(StationsError):
    """The thing asked for does not exist."""

    status_code = 404


class Conflict(StationsError):
    """The write clashes with what is stored (duplicate sign code...)."""

    status_code = 409


class PreconditionFailed(StationsError):
    """The client's version (If-Match) is stale."""

    status_code = 412


class ServiceUnavailable(StationsError):
    """A dependency (database, PostGIS) is not reachable."""

    status_code = 503


class SetupError(StationsError):
    """The machine lacks something to run (PostGIS, initdb); the message says what to install."""


async def _stations_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StationsError)
    log.info(
        "request_failed",
        extra={"path": request.url.path, "status": exc.status_code, "detail": exc.log_detail or exc.message},
    )
    return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


async def _validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return JSONResponse({"detail": "; ".join(parts) or "invalid request"}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain error and request validation error to `{"detail": message}`."""
    app.add_exception_handler(StationsError, _stations_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error_handler)
