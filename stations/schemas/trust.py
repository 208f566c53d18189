"""Issue 22's schemas: check-ins, quality, checklists, inspections, findings, ratings, photos, duplicates, merges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from stations.schemas.types import FreeText, Id, JsonBody

Outcome = Literal["open", "closed", "no_entry", "broken"]
Fact = Literal["hours", "location", "amenities", "access"]
Answer = Literal["pass", "fail", "na"]


class CheckinCreate(JsonBody):
    """A rider's tap: open (开着), closed (没开), could not get in (进不去), a facility broken (设施坏了: which)."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    amenity: str | None = Field(default=None, max_length=32, description="for `broken`: the amenity code")


class CheckinPublic(BaseModel):
    """What the rider's tap recorded (nothing about the rider is kept)."""

    station_id: int
    outcome: Outcome
    amenity: str | None
    during_hours: bool | None = Field(description="whether the posted hours said open at that moment")
    confirmed_open_at: datetime | None = Field(description="the station's last confirmation that it was open")
    created_at: datetime


class QualityPart(BaseModel):
    """One term of the quality score."""

    code: str
    label: str
    points: int
    most: int
    how: str = Field(description="what raises it")


class QualityPublic(BaseModel):
    """A station's quality score and how it is made up (docs/quality.md)."""

    station_id: int
    score: int
    parts: list[QualityPart]


class FactsChecked(JsonBody):
    """Staff confirm facts of a station without changing them: each gets today's check date."""

    model_config = ConfigDict(extra="forbid")

    facts: list[Fact] = Field(min_length=1, max_length=4)


class ChecklistItem(BaseModel):
    """One item of a checklist; `fact` names the check date a pass refreshes; a failed `critical` item caps stars."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    label: str = Field(min_length=1, max_length=200)
    fact: Fact | None = None
    critical: bool = False


class StarLevel(BaseModel):
    """What a number of stars needs: a share of items passed, and from the record an area, capacity, amenities."""

    model_config = ConfigDict(extra="forbid")

    stars: int = Field(ge=1, le=5)
    passed_share: float = Field(ge=0, le=1)
    min_area_m2: float | None = Field(default=None, ge=0)
    min_capacity: int | None = Field(default=None, ge=0)
    amenities: list[str] = Field(default_factory=list, max_length=50)


class Penalties(BaseModel):
    """What takes a star away: riders finding it closed during posted hours, findings or reports left open."""

    model_config = ConfigDict(extra="forbid")

    closed_checkins: int = Field(default=3, ge=1)
    closed_checkins_days: int = Field(default=90, ge=1, le=3650)
    finding_open_days: int = Field(default=30, ge=1, le=3650)
    report_open_days: int = Field(default=30, ge=1, le=3650)


class ChecklistRules(BaseModel):
    """A province's checklist and star rules, one version (the JSON file `stations checklists load` reads)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    province: str = Field(pattern=r"^[0-9]{2}$", description="two adcode digits; 00 = the national default")
    version: int = Field(ge=1, le=1_000_000)
    name: str = Field(min_length=1, max_length=200)
    items: list[ChecklistItem] = Field(min_length=1, max_length=100)
    stars: list[StarLevel] = Field(min_length=1, max_length=5)
    critical_failed_max_stars: int = Field(default=2, ge=1, le=5)
    penalties: Penalties = Field(default_factory=Penalties)
    valid_days: int = Field(default=365, ge=30, le=3650, description="how long a rating holds before review")


class ChecklistPublic(BaseModel):
    """A stored checklist version."""

    province: str
    version: int
    name: str
    rules: ChecklistRules
    loaded_by: str
    loaded_at: datetime


class InspectionCreate(JsonBody):
    """A visit: an answer per checklist item (pass/fail/na), a note per failed item, and whether it was open."""

    model_config = ConfigDict(extra="forbid")

    visited_on: date | None = Field(default=None, description="default: today (Beijing)")
    answers: dict[str, Answer] = Field(max_length=100)
    notes: dict[str, str] = Field(default_factory=dict, max_length=100)
    open_at_visit: bool
    note: FreeText | None = Field(default=None, max_length=1000)


class FindingPublic(BaseModel):
    """A failed item, open until fixed; `days_to_fix` once fixed."""

    id: int
    station_id: int
    inspection_id: int
    item_code: str
    note: str | None
    opened_at: datetime
    fixed_at: datetime | None
    fixed_by: str | None
    fix_note: str | None
    days_to_fix: float | None


class FindingFix(JsonBody):
    """What was done about a finding."""

    model_config = ConfigDict(extra="forbid")

    note: FreeText = Field(min_length=2, max_length=500)


class RatingPublic(BaseModel):
    """A star rating as given: stars, the rule version (province-version), why, and until when it holds."""

    stars: int
    rule_version: str
    rated_on: date
    valid_until: date
    reasons: list[str]
    inspection_id: int | None


class InspectionPublic(BaseModel):
    """A recorded inspection with its findings and the rating it gave."""

    id: int
    station_id: int
    inspector: str
    checklist: str = Field(description="province-version of the checklist used, e.g. 00-1")
    visited_on: date
    answers: dict[str, str]
    open_at_visit: bool
    note: str | None
    findings: list[FindingPublic]
    rating: RatingPublic | None


class PhotoPublic(BaseModel):
    """A photo: where its full size and thumbnail are served, and its state."""

    id: str
    station_id: int
    kind: str
    status: str
    width: int
    height: int
    url: str
    thumbnail_url: str
    created_at: datetime


class DuplicatePair(BaseModel):
    """Two live stations that may be one place: `likely` within 25 m, `possible` up to 500 m with similar names."""

    level: Literal["likely", "possible"]
    distance_m: float
    a: DuplicateSide
    b: DuplicateSide


class DuplicateSide(BaseModel):
    """One station of a pair."""

    id: int
    name: str
    kind: str
    sign_code: str
    address: str
    adcode: str
    created_at: datetime
    verified_at: date | None
    quality_score: int | None


class DuplicatesPublic(BaseModel):
    """Pairs in a region, likely ones first, then by distance."""

    data: list[DuplicatePair]
    count: int


class MergeRequest(JsonBody):
    """Merge station `other_id` into this one (the survivor keeps its id and sign code)."""

    model_config = ConfigDict(extra="forbid")

    other_id: Id
    reason: FreeText | None = Field(default=None, max_length=500)


class DismissRequest(JsonBody):
    """Two stations staff checked: they are different places."""

    model_config = ConfigDict(extra="forbid")

    a_id: Id
    b_id: Id


DuplicatePair.model_rebuild()
