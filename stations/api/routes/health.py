"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from stations.api.deps import SessionDep
from stations.services import health
from stations.services.holidays import missing_schedule_notice

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request, session: SessionDep) -> dict[str, Any]:
    """The database and PostGIS answer; 503 "database unavailable" when not (where and why go to the log only).
    `detail` says what staff must do soon (a holiday schedule not loaded yet) without changing the status code."""
    postgis = health.check_ready(session=session)
    detail = missing_schedule_notice(request.app.state.calendar.current, request.app.state.clock().date())
    return {"status": "ready", "postgis": postgis, "detail": detail}
