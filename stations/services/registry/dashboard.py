"""Region statistics for the staff dashboard: by kind and status, signed, listed per provider, open now."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from stations.db.models import ProviderListing, Station
from stations.errors import InvalidHours
from stations.hours import HolidayCalendar, judge, parse_hours
from stations.reference import ListingStatus


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


def _live(region: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (Station.deleted_at.is_(None), Station.adcode.startswith(region))


def region_stats(*, session: Session, region: str, at: datetime, calendar: HolidayCalendar) -> RegionStats:
    """The dashboard figures for live stations whose adcode starts with `region`, open now judged by `calendar`."""
    stats = RegionStats(region=region)
    live = _live(region)
    for kind, status, signed, count in session.execute(
        select(Station.kind, Station.status, Station.sign_installed, func.count()).where(*live)
        .group_by(Station.kind, Station.status, Station.sign_installed)
    ):
        stats.total += count
        stats.by_kind[str(kind)] = stats.by_kind.get(str(kind), 0) + count
        stats.by_status[str(status)] = stats.by_status.get(str(status), 0) + count
        stats.signed += count if signed else 0
    stats.listed = {
        str(p): n for p, n in session.execute(
            select(ProviderListing.provider, func.count()).join(Station)
            .where(*live, ProviderListing.status == ListingStatus.LISTED).group_by(ProviderListing.provider)
        )
    }
    stats.open_now = _open_now(session=session, region=region, at=at, calendar=calendar)
    return stats


def _open_now(*, session: Session, region: str, at: datetime, calendar: HolidayCalendar) -> int:
    """Active stations open at `at` (on an ordinary day where a holiday not yet announced could decide), evaluating
    each distinct hours expression once."""
    counts = Counter(dict(session.execute(
        select(Station.hours, func.count()).where(*_live(region), Station.status == "active").group_by(Station.hours)
    ).all()))
    total = 0
    for hours, count in counts.items():
        try:
            total += count if judge(parse_hours(hours), at=at, calendar=calendar).open_if_ordinary else 0
        except InvalidHours:
            continue  # stored before a stricter parser: not counted as open
    return total
