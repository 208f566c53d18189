"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import text

from stations.api.deps import SessionDep
from stations.errors import ServiceUnavailable
from stations.services.holidays import missing_schedule_notice

router = APIRouter(tags=["health"])

UNAVAILABLE = "database unavailable"


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request, session: SessionDep) -> dict[str, Any]:
    """The database and PostGIS answer; 503 "database unavailable" when not (where and why go to the log only).
    `detail` says what staff must do soon (a holiday schedule not loaded yet) without changing the status code."""
    try:
        postgis = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
        session.execute(text("SELECT 1 FROM stations LIMIT 1"))
    except Exception as exc:  # any driver/SQL failure means "not ready"
        raise ServiceUnavailable(_reason(exc), log_detail=repr(exc)) from exc
    detail = missing_schedule_notice(request.app.state.calendar.current, request.app.state.clock().date())
    return {"status": "ready", "postgis": str(postgis), "detail": detail}


def _reason(exc: Exception) -> str:
    """What an operator can act on without learning where the database is: a missing schema or PostGIS, else
    only that it is unavailable (host, port and driver text stay in the log)."""
    message = str(getattr(exc, "orig", None) or exc)
    if "postgis_lib_version" in message and "does not exist" in message:
        return f"{UNAVAILABLE}: PostGIS is not installed in this database (run `stations db migrate`)"
    if 'relation "stations" does not exist' in message:
        return f"{UNAVAILABLE}: the schema is missing (run `stations db migrate`)"
    return UNAVAILABLE
