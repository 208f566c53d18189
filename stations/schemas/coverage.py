"""Coverage replies: shares per region and hour, and suggested sites."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ShareOut(BaseModel):
    """Demand of a region or an hour of the week and how much of it a station within reach serves."""

    region: str = Field(description="adcode prefix ('' = China); '' with name 未定位 for demand outside any division")
    name: str = ""
    hour: int | None = Field(default=None, description="hour of the week, 0 = Monday 00:00-01:00 (Beijing time)")
    demand: float = Field(description="lookups, plus imported points' weight in each hour")
    near: float = Field(description="demand within 1 km (geodesic) of an active station")
    near_open: float = Field(description="demand within 1 km of a station open at the hour of that demand")
    share_near: float
    share_open: float


class CoveragePublic(BaseModel):
    """Coverage of a region: the whole, its child regions (least covered first) and each hour of the week."""

    region: str
    level: str
    hour: int | None
    reach_m: float = Field(description="what counts as within reach: geodesic metres (15 minutes at 4 km/h)")
    whole: ShareOut
    data: list[ShareOut]
    count: int
    by_hour: list[ShareOut]


class SuggestionOut(BaseModel):
    """A suggested new site and the unmet demand it would cover."""

    rank: int
    place: str = Field(description="the candidate: a demand cell c<row>:<col> or an imported point p<id>")
    lon: float
    lat: float
    adcode: str | None
    covers: float = Field(description="unmet demand within reach of this site not covered by earlier suggestions")
    places: int
    share_gain: float = Field(description="what it adds to the region's open-station coverage share")


class SuggestionsPublic(BaseModel):
    """Up to k sites by greedy maximum coverage, with the region's coverage before them."""

    region: str
    hour: int | None
    share_open: float
    data: list[SuggestionOut]
    count: int


class DemandImported(BaseModel):
    """What a demand-point upload did: points stored, rows refused with the reason."""

    imported: int
    refused: list[str]


class DemandRemoved(BaseModel):
    """How many demand points were deleted."""

    removed: int
