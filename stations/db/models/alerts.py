"""Weather alerts (issue 24): alerts per region, stations' alert modes, and the alert events of the change feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Identity, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from stations.db.models.base import Base


class WeatherAlert(Base):
    """A heat, cold-wave, rainstorm or typhoon alert over some regions (adcodes; a province or city code covers
    everything in it), from staff or a signed CAP push."""

    __tablename__ = "weather_alerts"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    identifier: Mapped[str] = mapped_column(String(200), unique=True)
    sender: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(8))
    alert_type: Mapped[str] = mapped_column(String(16))
    level: Mapped[str] = mapped_column(String(8))
    areas: Mapped[list[str]] = mapped_column(ARRAY(String(6)))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    headline: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class StationAlertMode(Base):
    """What a station does during an alert of a type at or above a level: its hours then and what it offers."""

    __tablename__ = "station_alert_modes"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    alert_type: Mapped[str] = mapped_column(String(16), primary_key=True)
    min_level: Mapped[str] = mapped_column(String(8))
    hours: Mapped[str] = mapped_column(Text)
    offers: Mapped[list[str]] = mapped_column(ARRAY(String(32)), server_default="{}")
    updated_by: Mapped[str] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AlertChange(Base):
    """An alert issued, updated or cancelled: numbered from station_changes' sequence, under its lock."""

    __tablename__ = "alert_changes"

    id: Mapped[int] = mapped_column(
        BigInteger, primary_key=True,
        server_default=text("nextval(pg_get_serial_sequence('station_changes', 'id'))"))
    alert_id: Mapped[int] = mapped_column(ForeignKey("weather_alerts.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))
    after: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
