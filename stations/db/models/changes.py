"""Every create, update and delete of a station, in one table: history for staff, feed for providers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, Index, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from stations.db.models.base import Base, text_enum


class ChangeAction(StrEnum):
    """What a change did to a station."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RESTORE = "restore"


class StationChange(Base):
    """One recorded change: who, when, why, and the station's public fields before and after."""

    __tablename__ = "station_changes"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    action: Mapped[ChangeAction] = mapped_column(text_enum(ChangeAction, "change_action"))
    actor: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    merged_into: Mapped[int | None] = mapped_column(BigInteger)  # a delete that merged the station into another
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (Index("ix_station_changes_station_id", "station_id", "id"),)
