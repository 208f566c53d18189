"""Readiness: some database answers, PostGIS is installed and the schema is there (said without where it is)."""

from __future__ import annotations

from typing import Any

from stations.db import registry_queries as queries
from stations.db.replicas import ReadRoute
from stations.errors import ServiceUnavailable

UNAVAILABLE = "database unavailable"
PRIMARY_DOWN = "the primary database does not answer: riders are served from replicas, writes wait for it"


def check_ready(*, reads: ReadRoute) -> dict[str, Any]:
    """PostGIS's version from the first read source that answers and the state of each (`ready`, or `degraded`
    while the primary is down and replicas serve); `ServiceUnavailable` saying what an operator can act on (host,
    port and driver text stay in the log) when no database answers, or PostGIS or the schema is missing."""
    try:
        with reads.session() as session:
            postgis = queries.postgis_version(session=session)
    except Exception as exc:  # any driver or SQL failure means "not ready"
        raise ServiceUnavailable(_reason(exc), log_detail=repr(exc)) from exc
    database = reads.status()
    return {"status": "degraded" if database["primary"] == "down" else "ready", "postgis": postgis,
            "database": database}


def _reason(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc)
    if "postgis_lib_version" in message and "does not exist" in message:
        return f"{UNAVAILABLE}: PostGIS is not installed in this database (run `stations db migrate`)"
    if 'relation "stations" does not exist' in message:
        return f"{UNAVAILABLE}: the schema is missing (run `stations db migrate`)"
    return UNAVAILABLE
