"""Readiness: the database answers, PostGIS is installed and the schema is there (said without where it is)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from stations.db import registry_queries as queries
from stations.errors import ServiceUnavailable

UNAVAILABLE = "database unavailable"


def check_ready(*, session: Session) -> str:
    """PostGIS's version; `ServiceUnavailable` saying what an operator can act on (host, port and driver text stay
    in the log) when the database, PostGIS or the schema is not there."""
    try:
        return queries.postgis_version(session=session)
    except Exception as exc:  # any driver or SQL failure means "not ready"
        raise ServiceUnavailable(_reason(exc), log_detail=repr(exc)) from exc


def _reason(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc)
    if "postgis_lib_version" in message and "does not exist" in message:
        return f"{UNAVAILABLE}: PostGIS is not installed in this database (run `stations db migrate`)"
    if 'relation "stations" does not exist' in message:
        return f"{UNAVAILABLE}: the schema is missing (run `stations db migrate`)"
    return UNAVAILABLE
