"""The worker report schema family: ReportCreate (what the map sends) and ReportPublic (the receipt)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stations.db.models.reports import ReportKind, ReportStatus
from stations.geo.crs import Crs
from stations.schemas.types import JsonBody

MAX_TEXT = 500


class ReportLocation(JsonBody):
    """Where the worker was, sent only when they chose to; `crs` says the coordinate system."""

    model_config = ConfigDict(extra="forbid")

    lon: float
    lat: float
    crs: Crs = Crs.WGS84


class ReportCreate(BaseModel):
    """A problem report or an "I was here" confirmation.

    Not a JsonBody: a rider cannot see, let alone remove, a control character their phone slipped into the text,
    so `text` is cleaned of them rather than refused (the location is a JsonBody)."""

    model_config = ConfigDict(extra="forbid")

    kind: ReportKind
    text: str | None = Field(default=None, max_length=MAX_TEXT, description="what is wrong, at most 500 characters")
    location: ReportLocation | None = Field(default=None, description="only when the worker ticks 'send my location'")

    @field_validator("text")
    @classmethod
    def _clean_text(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = "".join(ch for ch in value if ch.isprintable() or ch in "\n\t").strip()
        return cleaned or None


class ReportPublic(BaseModel):
    """The receipt: what the worker can look up later with the public id."""

    id: str = Field(description="the receipt number, e.g. R7K3M9Q2XD")
    station_id: int
    kind: ReportKind
    text: str | None
    status: ReportStatus
    location_sent: bool
    created_at: datetime
    updated_at: datetime
