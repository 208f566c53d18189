"""Weather alerts over HTTP: AlertCreate (staff), AlertPublic / AlertsPublic (the map's banner, the feed), the
station alert mode (AlertModeSet / AlertModePublic) and the dashboard's list (AlertStationsPublic)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from stations.schemas.types import FreeText, JsonBody
from stations.weather import AlertType, Level


class AlertCreate(JsonBody):
    """An alert entered by staff: every area must lie inside the writer's region."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    alert_type: AlertType
    level: Level
    areas: list[str] = Field(min_length=1, max_length=200, description="adcodes; a province or city code covers all")
    starts_at: datetime
    ends_at: datetime
    headline: str = Field(min_length=2, max_length=300)
    guidance: FreeText | None = Field(default=None, max_length=2000)


class AlertPublic(BaseModel):
    """An alert as riders and providers see it, with its title and the labour guidance for its level."""

    id: int
    identifier: str
    alert_type: AlertType
    level: Level
    title: str = Field(description="e.g. 高温橙色预警")
    areas: list[str]
    starts_at: datetime
    ends_at: datetime
    active: bool = Field(description="in force at the time asked")
    headline: str
    guidance: str | None = Field(description="what the issuer said to do")
    labour_guidance: str = Field(description="the outdoor-work rule for this level (35/37/40 °C for heat)")
    source: str
    cancelled: bool = False


class AlertsPublic(BaseModel):
    """Alerts not over yet, soonest end first."""

    data: list[AlertPublic]
    count: int


class AlertModeSet(JsonBody):
    """What a station does during an alert of `alert_type` at `min_level` or above."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    alert_type: AlertType
    min_level: Level
    hours: str = Field(min_length=1, max_length=500, description="hours during the alert, e.g. 24/7")
    offers: list[str] = Field(default_factory=list, max_length=20, description="amenity codes offered then")


class AlertModePublic(BaseModel):
    """A station's declared alert mode."""

    station_id: int
    alert_type: AlertType
    min_level: Level
    hours: str
    hours_text: str
    offers: list[str]


class AlertModesPublic(BaseModel):
    """A station's declared alert modes."""

    data: list[AlertModePublic]
    count: int


class AlertStation(BaseModel):
    """A station inside an alert's area that declared an alert mode."""

    id: int
    name: str
    sign_code: str
    adcode: str
    alert_type: AlertType
    min_level: Level
    hours: str
    offers: list[str]
    applies: bool = Field(description="the alert's type and level switch this mode on")


class AlertStationsPublic(BaseModel):
    """For one alert: live stations in its area (and the reader's region), and those that declared an alert mode."""

    alert: AlertPublic
    in_area: int
    declared: list[AlertStation]
