"""Staff writes and history: StationUpdate, StationDelete, StationRestore, HistoryEntry, HistoryPublic."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stations.db.models import ChangeAction
from stations.geo.crs import Crs
from stations.reference import AccessMethod, DemonstrationLevel, Kind, SignCondition, Status
from stations.schemas.types import Area, Count, FreeText, Id, JsonBody, Version


class StationUpdate(JsonBody):
    """A partial change: only the fields sent are changed; lon and lat travel together with their crs."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: Kind | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    adcode: str | None = None
    lon: float | None = None
    lat: float | None = None
    crs: Crs = Crs.WGS84
    site_id: Id | None = None
    hours: str | None = None
    self_service_hours: str | None = None
    access_methods: list[AccessMethod] | None = None
    amenities: list[str] | None = None
    capacity: Count | None = None
    area_m2: Area | None = None
    phone: str | None = Field(default=None, max_length=40)
    manager_name: str | None = Field(default=None, max_length=80)
    manager_phone: str | None = Field(default=None, max_length=40)
    host_unit: str | None = Field(default=None, max_length=200)
    managing_union: str | None = Field(default=None, max_length=200)
    photos: list[str] | None = None
    status: Status | None = None
    status_reason: FreeText | None = None
    star_rating: int | None = Field(default=None, ge=1, le=5)
    demonstration_level: DemonstrationLevel | None = None
    verified_at: date | None = None
    sign_installed: bool | None = None
    sign_installed_at: date | None = None
    sign_standard: str | None = Field(default=None, max_length=80)
    sign_condition: SignCondition | None = None
    reason: FreeText | None = Field(default=None, max_length=500, description="why, kept in the history")

    @model_validator(mode="after")
    def _coordinates_together(self) -> StationUpdate:
        if (self.lon is None) != (self.lat is None):
            raise ValueError("give both lon and lat (and crs) to move a station, or neither")
        return self


class StationDelete(JsonBody):
    """Why a station is withdrawn (kept on the row and in the history)."""

    reason: FreeText = Field(min_length=2, max_length=500)


class StationRestore(JsonBody):
    """Bring back a former version (also undeletes)."""

    version: Version = Field(description="the version to restore, as listed in the history")
    reason: FreeText | None = Field(default=None, max_length=500)


class HistoryEntry(BaseModel):
    """One recorded change of a station."""

    id: int
    station_id: int | None = Field(default=None, description="another id: a station merged into this one")
    merged_into: int | None = Field(default=None, description="on a delete: the station it was merged into")
    action: ChangeAction
    actor: str
    reason: str | None
    changed_at: datetime
    version: int | None
    changed_fields: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class HistoryPublic(BaseModel):
    """A station's history, newest first."""

    data: list[HistoryEntry]
    count: int
