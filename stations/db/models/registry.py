"""Registry models: sites, stations (one row per function of a site) and provider listings."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stations.db.models.base import Base, text_enum
from stations.geo.crs import Crs
from stations.reference import (
    AccessMethod,
    DemonstrationLevel,
    Kind,
    ListingStatus,
    Provider,
    SignCondition,
    Status,
)

ADCODE_CHECK = "adcode ~ '^[1-9][0-9]{5}$'"


class Site(Base):
    """A physical place; its functions (station, mothers' room, reading room) share it."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    adcode: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    stations: Mapped[list[Station]] = relationship(back_populates="site")

    __table_args__ = (CheckConstraint(ADCODE_CHECK, name="adcode_format"),)


class Station(Base):
    """One service function at a place, with its own sign, hours and amenities."""

    __tablename__ = "stations"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    kind: Mapped[Kind] = mapped_column(text_enum(Kind, "station_kind"))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300))
    adcode: Mapped[str] = mapped_column(String(6))
    geom: Mapped[Any] = mapped_column(Geometry("POINT", srid=4326, spatial_index=False))
    source_crs: Mapped[Crs] = mapped_column(text_enum(Crs, "source_crs"), default=Crs.WGS84)
    source_lon: Mapped[float | None] = mapped_column(Numeric(11, 7, asdecimal=False))
    source_lat: Mapped[float | None] = mapped_column(Numeric(10, 7, asdecimal=False))

    hours: Mapped[str] = mapped_column(Text, default="24/7")
    self_service_hours: Mapped[str | None] = mapped_column(Text)
    access_methods: Mapped[list[str]] = mapped_column(ARRAY(String(16)), default=list)
    amenities: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    capacity: Mapped[int | None] = mapped_column(Integer)
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    phone: Mapped[str | None] = mapped_column(String(40))
    manager_name: Mapped[str | None] = mapped_column(String(80))
    manager_phone: Mapped[str | None] = mapped_column(String(40))
    host_unit: Mapped[str | None] = mapped_column(String(200))
    managing_union: Mapped[str | None] = mapped_column(String(200))
    photos: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    status: Mapped[Status] = mapped_column(text_enum(Status, "station_status"), default=Status.ACTIVE)
    status_reason: Mapped[str | None] = mapped_column(Text)
    star_rating: Mapped[int | None] = mapped_column(SmallInteger)
    demonstration_level: Mapped[DemonstrationLevel] = mapped_column(
        text_enum(DemonstrationLevel, "demonstration_level"), default=DemonstrationLevel.NONE
    )
    verified_at: Mapped[date | None] = mapped_column(Date)
    # Issue 22: what riders, inspectors and staff confirmed, and when (per fact), the quality score and the rule
    # version of the star rating; `merged_into` names the station a merged duplicate now lives on.
    confirmed_open_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hours_checked_on: Mapped[date | None] = mapped_column(Date)
    location_checked_on: Mapped[date | None] = mapped_column(Date)
    amenities_checked_on: Mapped[date | None] = mapped_column(Date)
    access_checked_on: Mapped[date | None] = mapped_column(Date)
    quality_score: Mapped[int | None] = mapped_column(SmallInteger)
    star_rule_version: Mapped[str | None] = mapped_column(String(16))
    star_rated_on: Mapped[date | None] = mapped_column(Date)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("stations.id"))
    opened_on: Mapped[date | None] = mapped_column(Date)

    sign_code: Mapped[str] = mapped_column(String(32), unique=True)
    sign_installed: Mapped[bool] = mapped_column(Boolean, default=False)
    sign_installed_at: Mapped[date | None] = mapped_column(Date)
    sign_standard: Mapped[str | None] = mapped_column(String(80))
    sign_condition: Mapped[SignCondition | None] = mapped_column(text_enum(SignCondition, "sign_condition"))

    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted_reason: Mapped[str | None] = mapped_column(Text)

    site: Mapped[Site | None] = relationship(back_populates="stations")
    listings: Mapped[list[ProviderListing]] = relationship(
        back_populates="station", cascade="all, delete-orphan", order_by="ProviderListing.provider"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy declarative hook)
    __table_args__ = (
        CheckConstraint(ADCODE_CHECK, name="adcode_format"),
        CheckConstraint("star_rating BETWEEN 1 AND 5", name="star_rating_range"),
        CheckConstraint("quality_score BETWEEN 0 AND 100", name="quality_score_range"),
        CheckConstraint("merged_into IS NULL OR deleted_at IS NOT NULL", name="merged_only_when_deleted"),
        CheckConstraint("capacity >= 0", name="capacity_non_negative"),
        CheckConstraint("area_m2 > 0", name="area_positive"),
        CheckConstraint(
            "(source_crs = 'wgs84') = (source_lon IS NULL AND source_lat IS NULL)",
            name="source_coordinates_kept",
        ),
        CheckConstraint(
            "access_methods <@ ARRAY[" + ",".join(f"'{m.value}'" for m in AccessMethod) + "]::varchar[]",
            name="access_methods_known",
        ),
        Index("ix_stations_adcode", "adcode"),
        Index("ix_stations_site_id", "site_id"),
        Index("ix_stations_amenities", "amenities", postgresql_using="gin"),
    )


class ProviderListing(Base):
    """One station's listing on one map provider (Amap, Baidu, Tencent)."""

    __tablename__ = "provider_listings"

    station_id: Mapped[int] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"), primary_key=True)
    provider: Mapped[Provider] = mapped_column(text_enum(Provider, "provider"), primary_key=True)
    status: Mapped[ListingStatus] = mapped_column(
        text_enum(ListingStatus, "listing_status"), default=ListingStatus.NOT_LISTED
    )
    poi_id: Mapped[str | None] = mapped_column(String(64))
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    station: Mapped[Station] = relationship(back_populates="listings")


class SignSerial(Base):
    """The last serial handed out per region and kind; sign codes are never reused."""

    __tablename__ = "sign_serials"

    adcode: Mapped[str] = mapped_column(String(6), primary_key=True)
    kind: Mapped[Kind] = mapped_column(text_enum(Kind, "sign_serial_kind"), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)
