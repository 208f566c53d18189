"""The Station schema family: StationBase, StationCreate, StationPublic (a GeoJSON Feature)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
from stations.schemas.types import Area, Count, FreeText, Id, JsonBody


class Amenity(BaseModel):
    """An amenity code with its labels."""

    code: str
    zh: str
    en: str


class Listing(BaseModel):
    """One provider listing."""

    provider: Provider
    status: ListingStatus
    poi_id: str | None = None
    last_synced_at: datetime | None = None


class StationBase(BaseModel):
    """Fields a clerk provides for a station."""

    model_config = ConfigDict(str_strip_whitespace=True)

    kind: Kind
    name: str = Field(min_length=1, max_length=200)
    address: str = Field(min_length=1, max_length=300)
    adcode: str
    hours: str = "24/7"
    self_service_hours: str | None = None
    access_methods: list[AccessMethod] = Field(default_factory=list)
    amenities: list[str] = Field(default_factory=list)
    capacity: Count | None = None
    area_m2: Area | None = None
    phone: str | None = Field(default=None, max_length=40)
    manager_name: str | None = Field(default=None, max_length=80)
    manager_phone: str | None = Field(default=None, max_length=40)
    host_unit: str | None = Field(default=None, max_length=200)
    managing_union: str | None = Field(default=None, max_length=200)
    photos: list[str] = Field(default_factory=list)
    status: Status = Status.ACTIVE
    status_reason: FreeText | None = None
    star_rating: int | None = Field(default=None, ge=1, le=5)
    demonstration_level: DemonstrationLevel = DemonstrationLevel.NONE
    verified_at: date | None = None
    opened_on: date | None = Field(default=None, description="when the station opened (建成时间)")
    sign_installed: bool = False
    sign_installed_at: date | None = None
    sign_standard: str | None = Field(default=None, max_length=80)
    sign_condition: SignCondition | None = None


class StationCreate(StationBase):
    """A new station: coordinates in the stated system, optional site and sign code."""

    lon: float
    lat: float
    crs: Crs = Crs.WGS84
    site_id: Id | None = None
    sign_code: str | None = Field(default=None, max_length=32)


class StationRegistration(JsonBody, StationCreate):
    """StationCreate as the API takes it (`JsonBody` rules); clerk files and the sample go through StationCreate."""


class StationProperties(StationBase):
    """What the public sees of a station (the Feature's properties)."""

    id: int
    site_id: int | None
    kind_label: str
    hours_text: str = Field(description="`hours` in words (周一至周五 08:30–17:30，法定节假日休息), or as written")
    self_service_hours_text: str | None = Field(description="`self_service_hours` in words")
    access_text: str | None = Field(description="`access_methods` in words (扫码开门、刷脸开门)")
    amenities_detail: list[Amenity]
    sign_code: str
    source_crs: Crs
    source_coordinates: list[float] | None
    listings: list[Listing]
    version: int
    updated_at: datetime
    confirmed_open_at: datetime | None = Field(default=None, description="last time a rider or inspector found it open")
    hours_checked_on: date | None = None
    location_checked_on: date | None = None
    amenities_checked_on: date | None = None
    access_checked_on: date | None = None
    quality_score: int | None = Field(default=None, description="0-100, docs/quality.md")
    star_rule_version: str | None = Field(default=None, description="the rules (province-version) that gave the stars")
    star_rated_on: date | None = None


class StationPublic(BaseModel):
    """A station as an RFC 7946 GeoJSON Feature in WGS-84."""

    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any]
    properties: StationProperties
