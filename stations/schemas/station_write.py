"""Staff writes and history: StationUpdate, StationDelete, StationRestore, HistoryEntry, HistoryPublic."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from stations.db.models import ChangeAction
from stations.geo.crs import Crs
from stations.reference import AccessMethod, DemonstrationLevel, Kind, SignCondition, Status


class StationUpdate(BaseModel):
    """A partial change: only the fields sent are changed; lon and lat travel together with their crs."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: Kind | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: str | None = Field(default=None, min_length=1, max_length=300)
    adcode: str | None = None
    lon: float | None = None
    lat: float | None = None
    crs: Crs = Crs.WGS84
    site_id: int | None = None
    hours: str | None = None
    self_service_hours: str | None = None
    access_methods: list[AccessMethod] | None = None
    amenities: list[str] | None = None
    capacity: int | None = Field(default=None, ge=0)
    area_m2: float | None = Field(default=None, gt=0)
    phone: str | None = Field(default=None, max_length=40)
    manager_name: str | None = Field(default=None, max_length=80)
    manager_phone: str | None = Field(default=None, max_length=40)
    host_unit: str | None = Field(default=None, max_length=200)
    managing_union: str | None = Field(default=None, max_length=200)
    photos: list[str] | None = None
    status: Status | None = None
    status_reason: str | None = None
    star_rating: int | None = Field(default=None, ge=1, le=5)
    demonstration_level: DemonstrationLevel | None = None
    verified_at: date | None = None
    sign_installed: bool | None = None
    sign_installed_at: date | None = None
    sign_standard: str | None = Field(default=None, max_length=80)
    sign_condition: SignCondition | None = None
    reason: str | None = Field(default=None, max_length=500, description="why, kept in the history")

    @model_validator(mode="after")
    def _coordinates_together(self) -> StationUpdate:
        if (self.lon is None) != (self.lat is None):
            raise ValueError("give both lon and lat (and crs) to move a station, or neither")
        return self


class StationDelete(BaseModel):
    """Why a station is withdrawn (kept on the row and in the history)."""

    reason: str = Field(min_length=2, max_length=500)


class StationRestore(BaseModel):
    """Bring back a former version (also undeletes)."""

    version: int = Field(ge=1, description="the version to restore, as listed in the history")
    reason: str | None = Field(default=None, max_length=500)


class HistoryEntry(BaseModel):
    """One recorded change of a station."""

    id: int
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
