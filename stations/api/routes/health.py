"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from stations.api.deps import SessionDep
from stations.errors import ServiceUnavailable

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(session: SessionDep) -> dict[str, str]:
    """The database and PostGIS answer; 503 with the reason when not."""
    try:
        postgis = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
        session.execute(text("SELECT 1 FROM stations LIMIT 1"))
    except Exception as exc:  # any driver/SQL failure means "not ready"
        raise ServiceUnavailable(
            f"database not ready: {_reason(exc)}", log_detail=repr(exc)
        ) from exc
    return {"status": "ready", "postgis": str(postgis)}


def _reason(exc: Exception) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    if "postgis_lib_version" in message:
        return "PostGIS is not installed in this database (run `stations db migrate`)"
    if 'relation "stations" does not exist' in message:
        return "the schema is missing (run `stations db migrate`)"
    return message
