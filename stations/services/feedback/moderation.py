"""The worker-report queue for staff: open reports in a region, and resolving them with a note."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from stations.db import feedback_queries as queries
from stations.db import registry_queries
from stations.db.models import ReportResolution, ReportStatus, Station, StationReport
from stations.errors import InvalidInput, NotFound
from stations.services.staff import auth

OPEN = (ReportStatus.RECEIVED, ReportStatus.IN_PROGRESS)


def queue(*, session: Session, region: str, limit: int = 200) -> list[tuple[StationReport, Station]]:
    """Open reports on live stations in the region, oldest first (first come, first served)."""
    return queries.open_reports(session=session, region=region, statuses=OPEN, limit=limit)


def open_count(*, session: Session, region: str) -> int:
    """How many reports are open in the region."""
    return queries.count_open(session=session, region=region, statuses=OPEN)


def handle(
    *, session: Session, report_id: int, status: ReportStatus, note: str, confirms: bool, actor: str, scope: str,
    today: date,
) -> StationReport:
    """Set a report's status with a note (kept per report); confirming a resolved report refreshes verified_at."""
    report = session.get(StationReport, report_id, with_for_update=True)
    station = session.get(Station, report.station_id) if report else None
    if report is None or station is None:
        raise NotFound(f"no report {report_id}")
    auth.ensure_in_scope(scope, station.adcode, what="the station of this report")
    if status is not ReportStatus.IN_PROGRESS and not note.strip():
        raise InvalidInput("write a note saying what was done (the worker sees the status)")
    if confirms and status is not ReportStatus.RESOLVED:
        raise InvalidInput("only a resolved report can confirm the station")
    report.status = status
    session.merge(ReportResolution(report_id=report.id, note=note.strip(), handled_by=actor, confirms_station=confirms))
    if confirms:  # a confirmation, not a registry edit
        registry_queries.mark_verified(session=session, station_id=station.id, today=today)
    session.flush()
    return report

