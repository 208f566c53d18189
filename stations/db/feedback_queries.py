"""Reads of worker reports for the staff queue and the receipt page."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stations.db.models import ReportStatus, Station, StationReport


def open_reports(*, session: Session, region: str, statuses: Sequence[ReportStatus],
                 limit: int) -> list[tuple[StationReport, Station]]:
    """Reports in `statuses` on live stations whose adcode starts with `region`, oldest first."""
    rows = session.execute(
        select(StationReport, Station).join(Station, Station.id == StationReport.station_id)
        .where(StationReport.status.in_(statuses), Station.deleted_at.is_(None),
               Station.adcode.startswith(region, autoescape=True))
        .order_by(StationReport.created_at, StationReport.id).limit(limit))
    return [(r, s) for r, s in rows]


def count_open(*, session: Session, region: str, statuses: Sequence[ReportStatus]) -> int:
    """How many reports in `statuses` there are on live stations in `region`."""
    return int(session.scalar(
        select(func.count()).select_from(StationReport).join(Station, Station.id == StationReport.station_id)
        .where(StationReport.status.in_(statuses), Station.deleted_at.is_(None),
               Station.adcode.startswith(region, autoescape=True))) or 0)


def by_receipt(*, session: Session, public_id: str) -> StationReport | None:
    """The report with this receipt number."""
    return session.scalar(select(StationReport).where(StationReport.public_id == public_id))


def by_tap_key(*, session: Session, tap_key: str) -> StationReport | None:
    """The report a phone sent with this tap key."""
    return session.scalar(select(StationReport).where(StationReport.tap_key == tap_key))
