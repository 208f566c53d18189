"""Provider listing requests and replies: set one listing, import POI ids, coverage, resync queue."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from stations.reference import ListingStatus, Provider
from stations.schemas.types import JsonBody


class ListingSet(JsonBody):
    """A staff member's update of one station's listing on one provider."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: ListingStatus
    poi_id: str | None = Field(default=None, max_length=64)
    synced: bool = Field(default=True, description="the provider now has our current data (sets last_synced_at)")


class ProviderCoverage(BaseModel):
    """Counts for one provider in a region."""

    provider: Provider
    not_listed: int = 0
    submitted: int = 0
    listed: int = 0
    rejected: int = 0
    needs_resync: int = 0


class ListingStats(BaseModel):
    """A region's listing coverage; 双上图 = listed on both Amap and Baidu."""

    region: str | None
    stations: int
    both_amap_baidu: int
    both_amap_baidu_ratio: float
    providers: list[ProviderCoverage]


class ResyncItem(BaseModel):
    """A listing whose station changed after the provider last got it."""

    station_id: int
    sign_code: str
    name: str
    adcode: str
    provider: Provider
    status: ListingStatus
    poi_id: str | None
    last_synced_at: datetime | None
    updated_at: datetime


class ImportReport(BaseModel):
    """What a POI-id import did (nothing is written when `errors` is not empty)."""

    rows: int
    updated: int
    unchanged: int
    errors: list[str]
