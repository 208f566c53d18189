"""Domain errors: what went wrong in words a person can act on, free of any web framework or database driver.

Each class names the status it answers with (`status_code`, as pygeoapi's errors do); `stations.api.errors` turns
them into replies, and `stations.db.errors` turns driver failures into them.
"""

from __future__ import annotations

from typing import Any


class StationsError(Exception):
    """Base of every error a user can act on: a message for the client, a detail for the log, the status it
    answers with, and when to retry (seconds) where that helps."""

    status_code = 500

    def __init__(self, message: str, *, log_detail: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.log_detail = log_detail
        self.retry_after = retry_after
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


class NotConfigured(StationsError):
    """The installation lacks a setting this needs (a public https address before signs are printed)."""

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
        super().__init__(message, log_detail=log_detail, retry_after=retry_after)


class SetupError(StationsError):
    """The machine lacks something to run (PostGIS, initdb); the message says what to install."""
