"""Trust models (issue 22): rider check-ins, checklists as data, inspections and their findings, star ratings,
photos, and station pairs staff said are not duplicates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from stations.db.models.base import Base

CHECKIN_OUTCOMES = ("open", "closed", "no_entry", "broken")
PHOTO_KINDS = ("entrance", "sign", "inside", "other")
PHOTO_STATUSES = ("pending", "approved", "rejected", "removed")


class Checkin(Base):
    """One rider's tap on the details sheet: open, closed, could not get in, or a facility broken. No identifier
    of the rider is stored; `during_hours` is whether the posted hours said open at that moment."""

    __tablename__ = "station_checkins"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(16))
    amenity: Mapped[str | None] = mapped_column(String(32))
    during_hours: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    tap_key: Mapped[str | None] = mapped_column(String(64))  # the phone's random key for this tap (resends)

    __table_args__ = (
        CheckConstraint(f"outcome IN {CHECKIN_OUTCOMES}", name="checkin_outcome_known"),
        Index("ix_station_checkins_station_created", "station_id", "created_at"),
        Index("uq_station_checkins_tap_key", "tap_key", unique=True),
    )


class Checklist(Base):
    """One version of a province's inspection checklist and star rules ("00": the national default), as data."""

    __tablename__ = "checklists"

    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint("province ~ '^[0-9]{2}$' AND version >= 1", name="checklist_key_format"),)


class Inspection(Base):
    """An inspector's visit: the checklist version used, the answer per item, whether it was open."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    inspector: Mapped[str] = mapped_column(String(64))
    checklist_province: Mapped[str] = mapped_column(String(2))
    checklist_version: Mapped[int] = mapped_column(Integer)
    visited_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, str]] = mapped_column(JSONB)
    open_at_visit: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        ForeignKeyConstraint(["checklist_province", "checklist_version"],
                             ["checklists.province", "checklists.version"]),
        Index("ix_inspections_station", "station_id", "visited_on"),
    )


class Finding(Base):
    """A checklist item an inspection found failing: open until someone records the fix."""

    __tablename__ = "inspection_findings"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id", ondelete="CASCADE"))
    item_code: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    fixed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fixed_by: Mapped[str | None] = mapped_column(String(64))
    fix_note: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_findings_open", "station_id", postgresql_where="fixed_at IS NULL"),)


class StarRating(Base):
    """A star rating as given: by which rule version, from which inspection, why, and until when it holds."""

    __tablename__ = "star_ratings"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    stars: Mapped[int] = mapped_column(SmallInteger)
    rule_province: Mapped[str] = mapped_column(String(2))
    rule_version: Mapped[int] = mapped_column(Integer)
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id", ondelete="SET NULL"))
    rated_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    reasons: Mapped[list[str]] = mapped_column(JSONB)
    rated_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="rating_stars_range"),
        ForeignKeyConstraint(["rule_province", "rule_version"], ["checklists.province", "checklists.version"]),
        Index("ix_star_ratings_station", "station_id", "id"),
    )


class StationPhoto(Base):
    """A photo of a station, stored re-encoded without metadata (full size and thumbnail) in the photo store."""

    __tablename__ = "station_photos"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    public_id: Mapped[str] = mapped_column(String(24), unique=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspections.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    moderated_by: Mapped[str | None] = mapped_column(String(64))
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint(f"kind IN {PHOTO_KINDS}", name="photo_kind_known"),
        CheckConstraint(f"status IN {PHOTO_STATUSES}", name="photo_status_known"),
        Index("ix_station_photos_station", "station_id", "id"),
    )


class DuplicateDismissal(Base):
    """A pair of stations staff looked at and said are two places (`a_id < b_id`): left out of the duplicates view."""

    __tablename__ = "duplicate_dismissals"

    a_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    b_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    dismissed_by: Mapped[str] = mapped_column(String(64))
    dismissed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint("a_id < b_id", name="dismissal_pair_ordered"),)
