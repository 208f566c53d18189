"""Database failures (both drivers, and SQLAlchemy around them) as the domain errors a client should see."""

from __future__ import annotations

import logging
import socket

import asyncpg
import psycopg
from sqlalchemy import exc as sa

from stations.errors import Conflict, InvalidInput, ServiceUnavailable, StationsError

log = logging.getLogger(__name__)

# By SQLSTATE class where the server sent one (both drivers carry it).
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
    cause, state = _cause(exc), sqlstate(exc)
    detail = repr(exc)
    if state in _BUSY_STATES or isinstance(exc, sa.TimeoutError):
        return ServiceUnavailable(_BUSY_STATES.get(state, BUSY), log_detail=detail, retry_after=1)
    if unreachable(exc):
        return ServiceUnavailable(UNAVAILABLE, log_detail=detail)
    if state.startswith("22") or state in ("23502", "23514") or _refused_value(cause):
        return InvalidInput(f"the database cannot store a value as given: {_first_line(cause)}", log_detail=detail)
    if state in _CONFLICT_STATES:
        return Conflict(f"the change clashes with what is stored: {_CONFLICT_STATES[state]}", log_detail=detail)
    return None


def unreachable(exc: BaseException) -> bool:
    """The server is down, starting, shutting down, out of connections or unreachable, or the connection broke: the
    same request may succeed on another server (a replica, the primary)."""
    return sqlstate(exc).startswith(_UNAVAILABLE_STATES) or _connection_lost(exc, _cause(exc))


def sqlstate(exc: BaseException) -> str:
    """The SQLSTATE the server sent with the failure (either driver, through SQLAlchemy or not), or ''."""
    return getattr(_cause(exc), "sqlstate", None) or ""


def _cause(exc: BaseException) -> BaseException:
    return exc.orig if isinstance(exc, sa.StatementError) and exc.orig is not None else exc


def _connection_lost(exc: BaseException, cause: BaseException) -> bool:
    """No connection, or one that broke: refused, reset, closed, or asyncpg's protocol left in a state it cannot
    leave ("cannot switch to state 12"); psycopg raises its base OperationalError without SQLSTATE for these."""
    if isinstance(exc, sa.DBAPIError) and exc.connection_invalidated:
        return True
    if type(cause) is psycopg.OperationalError or isinstance(cause, psycopg.InterfaceError):
        return True
    if type(cause) is OSError:  # asyncpg's "Multiple exceptions" when every address of the host refused
        return True
    # Network failures only: a missing file or a permission error is a bug of ours (a logged 500), not an outage.
    lost = (ConnectionError, TimeoutError, socket.gaierror, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
            asyncpg.InternalClientError)
    return isinstance(cause, lost) and not isinstance(cause, _ASYNCPG_CLIENT_DATA)


def _refused_value(cause: BaseException) -> bool:
    """A value refused before it reached the server: psycopg's NUL in text, asyncpg's argument it cannot encode,
    text with a lone surrogate, which UTF-8 cannot carry."""
    return isinstance(cause, psycopg.DataError | _ASYNCPG_CLIENT_DATA | UnicodeEncodeError)


def _first_line(cause: BaseException) -> str:
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]


def as_failure(exc: BaseException) -> StationsError:
    """What a failure amounts to for whoever asked: a domain error as it is, a database error by its class
    (`database_error`), anything else a 500 whose traceback is logged here (the client is told only that it was
    logged)."""
    if isinstance(exc, StationsError):
        return exc
    if (mapped := database_error(exc)) is not None:
        return mapped
    log.error("request_error", exc_info=exc)
    return StationsError("the request failed on our side; it has been logged")
