"""Coverage per region and hour of the week, the places of unmet demand, and suggested sites.

Demand is lookups counted by cell and hour over the retained weeks, plus imported demand points (a point's weight
counts as that many lookups in every hour of the week). A place is covered at an hour when an active station open
at that hour lies within reach (`geo.walking.REACH_M`, geodesic).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from stations import divisions
from stations.db import coverage_sql as queries
from stations.errors import InvalidInput
from stations.geo.grid import cell_of
from stations.geo.walking import REACH_M, reachable
from stations.services.coverage import greedy, weekly
from stations.services.coverage.recorder import week_of

Level = Literal["province", "city", "county"]
LENGTHS: dict[str, int] = {"province": 2, "city": 4, "county": 6}
MAX_GAPS = 20_000
"""Places of unmet demand a suggestion weighs (the heaviest first): a province's worth of 500 m cells."""


@dataclass
class Share:
    """Demand of a region (or an hour), the part near an active station and the part near an open one."""

    region: str
    demand: float = 0.0
    near: float = 0.0
    near_open: float = 0.0
    name: str = ""

    @property
    def share_near(self) -> float:
        """Share of demand within reach of an active station (0 when there is no demand)."""
        return self.near / self.demand if self.demand else 0.0

    @property
    def share_open(self) -> float:
        """Share of demand within reach of a station open at the hour of that demand."""
        return self.near_open / self.demand if self.demand else 0.0


@dataclass
class Coverage:
    """Coverage of a region: its child regions at `level`, the whole, and each hour of the week."""

    region: str
    level: str
    hour: int | None
    whole: Share
    regions: list[Share] = field(default_factory=list)
    by_hour: list[Share] = field(default_factory=list)


@dataclass(frozen=True)
class Gap:
    """A place of unmet demand: a cell (`c<row>:<col>`) or an imported point (`p<id>`)."""

    place: str
    adcode: str | None
    lon: float
    lat: float
    demand: float
    unmet: float
    near_station: bool
    mean_open_m: float | None = None
    """Mean distance lookups here found to their nearest open result (None: none open, or an imported point)."""


@dataclass(frozen=True)
class Suggestion:
    """A suggested site: where, the unmet demand it would cover, and the coverage share it would add."""

    rank: int
    place: str
    lon: float
    lat: float
    adcode: str | None
    covers: float
    places: int
    share_gain: float


def _filters(*, session: Session, region: str, hour: int | None, today: date, retention_days: int) -> dict[str, Any]:
    if hour is not None and not 0 <= hour < weekly.HOURS_OF_WEEK:
        raise InvalidInput(f"hour must be 0-167 (hours of the week from Monday 00:00), got {hour}")
    keys, masks = weekly.masks(queries.timetables(session=session))
    return {"since": week_of(today - timedelta(days=retention_days)), "region": region, "hour": hour,
            "keys": keys, "masks": masks, "reach_m": REACH_M}


def coverage(*, session: Session, region: str, level: Level, hour: int | None, today: date,
             retention_days: int) -> Coverage:
    """Coverage of `region` (adcode prefix, '' = China) by child regions at `level`, in all or one hour."""
    length = max(LENGTHS[level], len(region))  # a county asked by county: itself
    filters = _filters(session=session, region=region, hour=hour, today=today, retention_days=retention_days)
    whole, hours = Share(region=region), {h: Share(region=region) for h in range(weekly.HOURS_OF_WEEK)}
    regions: dict[str, Share] = {}
    for code, at, demand, near, near_open in queries.by_region_hour(session=session, length=length, **filters):
        for share in (whole, regions.setdefault(code, Share(region=code)), hours[at]):
            share.demand += demand
            share.near += near
            share.near_open += near_open
    for share in regions.values():
        share.name = divisions.full_name(share.region.ljust(6, "0")) if share.region else "未定位"
    whole.name = divisions.full_name(region.ljust(6, "0")) if region else "全国"
    ordered = sorted(regions.values(), key=lambda s: (s.share_open, -s.demand, s.region))
    return Coverage(region=region, level=level, hour=hour, whole=whole, regions=ordered,
                    by_hour=[hours[h] for h in range(weekly.HOURS_OF_WEEK)])


def gaps(*, session: Session, region: str, hour: int | None, today: date, retention_days: int,
         limit: int = MAX_GAPS) -> list[Gap]:
    """Places of unmet demand in `region`, at `hour` or summed over the week, the largest first."""
    filters = _filters(session=session, region=region, hour=hour, today=today, retention_days=retention_days)
    return [Gap(place=r.place, adcode=r.adcode, lon=float(r.lon), lat=float(r.lat), demand=float(r.demand),
                unmet=float(r.unmet), near_station=bool(r.near_station),
                mean_open_m=None if r.mean_open_m is None else float(r.mean_open_m))
            for r in queries.gaps(session=session, limit=limit, **filters)]


def reach_sets(found: list[Gap]) -> dict[str, set[str]]:
    """For each place, the places within reach of it (itself included), found through the 500 m grid."""
    buckets: dict[tuple[int, int], list[Gap]] = {}
    for gap in found:
        buckets.setdefault(cell_of(gap.lon, gap.lat), []).append(gap)
    covers: dict[str, set[str]] = {}
    for gap in found:
        row, col = cell_of(gap.lon, gap.lat)
        near = {gap.place}
        for dr in range(-3, 4):
            for dc in range(-3, 4):
                near.update(other.place for other in buckets.get((row + dr, col + dc), ())
                            if reachable(gap.lon, gap.lat, other.lon, other.lat))
        covers[gap.place] = near
    return covers


def suggest(*, session: Session, region: str, hour: int | None, k: int, today: date,
            retention_days: int) -> tuple[Coverage, list[Suggestion]]:
    """Coverage of `region` and up to `k` new sites chosen by greedy maximum coverage among places of unmet
    demand."""
    if not 1 <= k <= 50:
        raise InvalidInput(f"k must be between 1 and 50 sites, got {k}")
    level: Level = "province" if not region else "city" if len(region) < 4 else "county"
    whole = coverage(session=session, region=region, level=level, hour=hour, today=today,
                     retention_days=retention_days)
    found = gaps(session=session, region=region, hour=hour, today=today, retention_days=retention_days)
    by_place = {g.place: g for g in found}
    picks = greedy.greedy(covers=reach_sets(found), weight={g.place: g.unmet for g in found}, k=k)
    total = whole.whole.demand
    return whole, [Suggestion(rank=i, place=p.site, lon=by_place[p.site].lon, lat=by_place[p.site].lat,
                              adcode=by_place[p.site].adcode, covers=p.gain, places=len(p.covers),
                              share_gain=p.gain / total if total else 0.0)
                   for i, p in enumerate(picks, start=1)]



def stations(*, session: Session, region: str, limit: int = 20_000) -> dict[str, Any]:
    """Live stations of a region as a GeoJSON FeatureCollection (the gap map draws their circles)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.id, "geometry": {"type": "Point", "coordinates": [r.lon, r.lat]},
         "properties": {"name": r.name, "status": r.status}}
        for r in queries.stations(session=session, region=region, limit=limit)]}
