"""Every class of database failure maps to one reply: 503 with Retry-After, 422, 409, or ours to fix (None)."""

from __future__ import annotations

import asyncpg
import psycopg
import pytest
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from stations.db.errors import database_error


def wrapped(orig: Exception, kind: type[OperationalError] = OperationalError) -> Exception:
    """As SQLAlchemy raises a driver's error."""
    return kind("SELECT 1", {}, orig)


@pytest.mark.parametrize("error", [
    ConnectionRefusedError("connection refused"),
    wrapped(psycopg.OperationalError("connection failed: Connection refused")),
    wrapped(psycopg.errors.AdminShutdown("terminating connection due to administrator command")),
    wrapped(psycopg.errors.CannotConnectNow("the database system is starting up")),
    wrapped(psycopg.errors.CrashShutdown("terminating connection because of crash of another server process")),
    wrapped(psycopg.errors.TooManyConnections("sorry, too many clients already")),
    wrapped(psycopg.InterfaceError("the connection is closed")),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.InternalClientError("cannot switch to state 12; another operation (11) is in progress"),
    asyncpg.InterfaceError("cannot perform operation: connection is closed"),
])
def test_a_database_that_cannot_answer_now_is_a_503_with_retry_after(error: Exception) -> None:
    reply = database_error(error)
    assert reply is not None and reply.status_code == 503 and "try again" in reply.message
    assert reply.retry_after == 5
    assert reply.log_detail == repr(error)  # the log keeps the driver's words


@pytest.mark.parametrize("error", [
    asyncpg.QueryCanceledError("canceling statement due to statement timeout"),
    wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")),
    wrapped(psycopg.errors.SerializationFailure("could not serialize access")),
    wrapped(psycopg.errors.DeadlockDetected("deadlock detected")),
    wrapped(psycopg.errors.LockNotAvailable("could not obtain lock")),
    PoolTimeout("QueuePool limit of size 5 overflow 0 reached, connection timed out"),
])
def test_a_busy_database_is_a_503_to_retry_at_once(error: Exception) -> None:
    reply = database_error(error)
    assert reply is not None and reply.status_code == 503 and reply.retry_after == 1


@pytest.mark.parametrize("error", [
    wrapped(psycopg.errors.NumericValueOutOfRange("integer out of range"), DataError),
    wrapped(psycopg.errors.CharacterNotInRepertoire("invalid byte sequence for encoding"), DataError),
    wrapped(psycopg.errors.StringDataRightTruncation("value too long for type character varying(255)"), DataError),
    wrapped(psycopg.errors.InvalidTextRepresentation("invalid input syntax for type integer"), DataError),
    wrapped(psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"), DataError),
    wrapped(psycopg.errors.NotNullViolation("null value in column"), IntegrityError),
    wrapped(psycopg.errors.CheckViolation("violates check constraint"), IntegrityError),
    asyncpg.NumericValueOutOfRangeError("integer out of range"),
    asyncpg.exceptions._base.DataError("invalid input for query argument $1"),
    UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
])
def test_a_value_the_database_refuses_is_a_422(error: Exception) -> None:
    reply = database_error(error)
    assert reply is not None and reply.status_code == 422 and "cannot store a value" in reply.message


@pytest.mark.parametrize("error", [
    wrapped(psycopg.errors.UniqueViolation("duplicate key value violates unique constraint"), IntegrityError),
    wrapped(psycopg.errors.ForeignKeyViolation("violates foreign key constraint"), IntegrityError),
    asyncpg.UniqueViolationError("duplicate key value violates unique constraint"),
])
def test_a_write_that_clashes_with_stored_rows_is_a_409(error: Exception) -> None:
    reply = database_error(error)
    assert reply is not None and reply.status_code == 409


@pytest.mark.parametrize("error", [
    wrapped(psycopg.errors.UndefinedTable('relation "stations" does not exist')),
    wrapped(psycopg.errors.SyntaxError("syntax error at or near")),
    KeyError("site_id"),
])
def test_our_own_mistakes_are_not_called_the_client_s(error: Exception) -> None:
    assert database_error(error) is None


def test_a_missing_file_is_ours_to_fix_not_a_database_outage() -> None:
    """Only network failures read as an unreachable database; a file the code cannot find is a logged 500."""
    assert database_error(FileNotFoundError(2, "No such file or directory", "data/demo_cities.json")) is None
    assert database_error(PermissionError(13, "Permission denied")) is None
    reply = database_error(ConnectionRefusedError(111, "Connection refused"))
    assert reply is not None and reply.status_code == 503
