"""The official holiday calendar as registry data: published schedules per year, their days, and every load."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from stations.db.models.base import Base


class HolidaySchedule(Base):
    """One year's published schedule: where it came from, who loaded it and when."""

    __tablename__ = "holiday_schedules"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(200))
    papers: Mapped[list[str]] = mapped_column(ARRAY(String(500)), default=list)
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class HolidayDay(Base):
    """A day a schedule lists: a statutory holiday (weekend days inside a break included) or a make-up workday."""

    __tablename__ = "holiday_days"
    __table_args__ = (CheckConstraint("kind IN ('holiday', 'makeup_workday')", name="ck_holiday_days_kind"),)

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer, ForeignKey("holiday_schedules.year", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class HolidayChange(Base):
    """One load of a year's schedule (by the package at start-up or by an admin), with what it changed."""

    __tablename__ = "holiday_changes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    source: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    summary: Mapped[dict[str, Any]] = mapped_column(JSONB)
