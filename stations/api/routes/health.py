"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from stations.services import health
from stations.services.holidays import missing_schedule_notice

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up (no dependency is checked)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> dict[str, Any]:
    """A database and PostGIS answer: `ready`, or `degraded` while the primary is down and replicas serve riders
    (`database` has each one's state). 503 "database unavailable" when none answers. `detail` says what staff must
    do soon (a holiday schedule not loaded yet, the primary down) without changing the status code."""
    state = request.app.state
    ready = health.check_ready(reads=state.reads)
    notices = [missing_schedule_notice(state.calendar.current, state.clock().date()),
               health.PRIMARY_DOWN if ready["status"] == "degraded" else None]
    return ready | {"detail": "; ".join(n for n in notices if n) or None}
