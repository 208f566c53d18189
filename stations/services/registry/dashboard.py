"""Region statistics for the staff dashboard: by kind and status, signed, listed per provider, open now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from stations import divisions
from stations.db import registry_queries as queries
from stations.db import trust_queries
from stations.errors import InvalidHours
from stations.hours import HolidayCalendar, judge, parse_hours


@dataclass
class RegionStats:
    """Counts for one region (adcode prefix; '' = the whole country)."""

    region: str
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    signed: int = 0
    listed: dict[str, int] = field(default_factory=dict)
    open_now: int = 0


def region_stats(*, session: Session, region: str, at: datetime, calendar: HolidayCalendar) -> RegionStats:
    """The dashboard figures for live stations whose adcode starts with `region`, open now judged by `calendar`."""
    stats = RegionStats(region=region)
    for kind, status, signed, count in queries.counts_by_kind_status_sign(session=session, region=region):
        stats.total += count
        stats.by_kind[kind] = stats.by_kind.get(kind, 0) + count
        stats.by_status[status] = stats.by_status.get(status, 0) + count
        stats.signed += count if signed else 0
    stats.listed = queries.listed_by_provider(session=session, region=region)
    stats.open_now = _open_now(session=session, region=region, at=at, calendar=calendar)
    return stats


def _open_now(*, session: Session, region: str, at: datetime, calendar: HolidayCalendar) -> int:
    """Active stations open at `at` (on an ordinary day where a holiday not yet announced could decide), evaluating
    each distinct hours expression once."""
    counts = queries.active_hours_counts(session=session, region=region)
    total = 0
    for hours, count in counts.items():
        try:
            total += count if judge(parse_hours(hours), at=at, calendar=calendar).open_if_ordinary else 0
        except InvalidHours:
            continue  # stored before a stricter parser: not counted as open
    return total


@dataclass(frozen=True)
class Freshness:
    """One child region's verification freshness: live stations, how many verified in the last 6 months."""

    region: str
    name: str
    total: int
    verified: int
    quality: int | None

    @property
    def share(self) -> float:
        """Verified in the last 6 months, as a share of the stations (0 when there are none)."""
        return self.verified / self.total if self.total else 0.0


FRESH_DAYS = 183


def freshness(*, session: Session, region: str, today: date) -> list[Freshness]:
    """Per province (nationwide), city (in a province) or county (in a city or county): the share of live stations
    verified in the last 6 months and their mean quality score, worst share first."""
    digits = {0: 2, 2: 4}.get(len(region), 6)
    rows = trust_queries.freshness(session=session, region=region, digits=digits,
                                   since=today - timedelta(days=FRESH_DAYS))
    found = [Freshness(region=r["region"], name=_name(r["region"]), total=int(r["total"]),
                       verified=int(r["verified"]), quality=None if r["quality"] is None else int(r["quality"]))
             for r in rows]
    return sorted(found, key=lambda f: (f.share, f.region))


def _name(prefix: str) -> str:
    division = divisions.get(prefix.ljust(6, "0"))
    return division.name if division else prefix
