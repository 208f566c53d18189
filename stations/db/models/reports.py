"""Worker reports: problems and "I was here" confirmations sent from the map, kept for staff."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from stations.db.models.base import Base, text_enum


class ReportKind(StrEnum):
    """What a worker reports about a station."""

    CLOSED = "closed"
    NO_WATER = "no_water"
    BROKEN_AC = "broken_ac"
    WRONG_PLACE = "wrong_place"
    SIGN_MISSING = "sign_missing"
    OTHER = "other"
    WAS_HERE = "was_here"


class ReportStatus(StrEnum):
    """Where a report stands; the worker sees it on the receipt."""

    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class StationReport(Base):
    """One report; `location` is set only when the worker chose to send it, never inferred."""

    __tablename__ = "station_reports"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    kind: Mapped[ReportKind] = mapped_column(text_enum(ReportKind, "report_kind"))
    text: Mapped[str | None] = mapped_column(String(500))
    location: Mapped[Any | None] = mapped_column(Geometry("POINT", srid=4326, spatial_index=False))
    tap_key: Mapped[str | None] = mapped_column(String(64))  # the phone's random key for this tap (resends)
    status: Mapped[ReportStatus] = mapped_column(
        text_enum(ReportStatus, "report_status"), default=ReportStatus.RECEIVED
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        Index("ix_station_reports_station_created", "station_id", "created_at"),
        Index("ix_station_reports_status_created", "status", "created_at"),
        Index("uq_station_reports_tap_key", "tap_key", unique=True),
    )
