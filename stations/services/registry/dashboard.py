"""Region statistics for the staff dashboard: by kind and status, signed, listed per provider, open now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from stations.db import registry_queries as queries
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
