"""Which database failures a client may retry (503) and which are ours to fix (500)."""

from __future__ import annotations

import asyncpg
import psycopg
import pytest
from sqlalchemy.exc import OperationalError

from stations.errors import database_unavailable


def wrapped(orig: Exception) -> OperationalError:
    """As SQLAlchemy raises a driver's error."""
    return OperationalError("SELECT 1", {}, orig)


@pytest.mark.parametrize(("error", "detail"), [
    (ConnectionRefusedError("connection refused"), "not reachable"),
    (wrapped(psycopg.OperationalError("connection failed: Connection refused")), "not reachable"),
    (asyncpg.QueryCanceledError("canceling statement due to statement timeout"), "took too long"),
    (wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")), "took too long"),
])
def test_outages_and_timeouts_are_a_503_to_retry(error: Exception, detail: str) -> None:
    reply = database_unavailable(error)
    assert reply is not None and reply.status_code == 503 and detail in reply.message and "try again" in reply.message
    assert reply.log_detail == repr(error)  # the log keeps the driver's words


@pytest.mark.parametrize("error", [
    wrapped(psycopg.errors.SerializationFailure("could not serialize access")),  # an OperationalError subclass
    KeyError("site_id"),
])
def test_other_failures_are_not_called_an_outage(error: Exception) -> None:
    assert database_unavailable(error) is None
