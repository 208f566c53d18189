"""Which years the registry's holiday calendar knows, and what staff must be told before a year runs out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy.orm import Session

from stations.db import holiday_queries as queries
from stations.errors import NotFound
from stations.hours.calendar import HolidayCalendar, package_schedules, package_version
from stations.services.holidays.store import PACKAGE_ACTOR

WARN_FROM_MONTH = 11
"""From 1 November staff are told when next year's schedule is missing (the notice usually comes in Nov-Dec)."""


@dataclass(frozen=True)
class YearStatus:
    """One year: official (from chinesecalendar), loaded (by an admin) or not known (provisional)."""

    year: int
    state: Literal["official", "loaded", "not_known"]
    source: str | None = None
    loaded_by: str | None = None
    loaded_at: str | None = None
    days: int = 0
    package_check: str | None = None
    """For a year an admin loaded that chinesecalendar also knows: whether the two agree."""


def year_statuses(*, session: Session, today: date) -> list[YearStatus]:
    """Every loaded year, plus this year and next when they are not known, in order."""
    counts: dict[int, int] = {}
    listed: dict[int, set[tuple[date, str]]] = {}
    for d in queries.days(session=session):
        counts[d.year] = counts.get(d.year, 0) + 1
        listed.setdefault(d.year, set()).add((d.day, d.kind))
    out = {}
    for s in queries.schedules(session=session):
        official = s.loaded_by == PACKAGE_ACTOR
        out[s.year] = YearStatus(
            year=s.year, state="official" if official else "loaded", source=s.source, loaded_by=s.loaded_by,
            loaded_at=s.loaded_at.isoformat(timespec="minutes"), days=counts.get(s.year, 0),
            package_check=None if official else _package_check(s.year, listed.get(s.year, set())),
        )
    for year in (today.year, today.year + 1):
        out.setdefault(year, YearStatus(year=year, state="not_known"))
    return [out[year] for year in sorted(out)]


def _package_check(year: int, listed: set[tuple[date, str]]) -> str | None:
    """How the installed chinesecalendar's view of `year` compares with what an admin loaded."""
    package = package_schedules().get(year)
    if package is None:
        return None
    theirs = {(d.day, d.kind.value) for d in package}
    differing = len(theirs ^ listed)
    if not differing:
        return f"{package_version()} 与导入的安排一致"
    return f"{package_version()} 与导入的安排有 {differing} 处不同：请核对"


def year_detail(*, session: Session, year: int) -> dict[str, Any]:
    """A year's listed days and every load of it, newest first (`NotFound` for a year never loaded)."""
    if queries.schedule(session=session, year=year) is None:
        raise NotFound(f"{year} 年的节假日安排没有导入过")
    days = [{"date": d.day.isoformat(), "kind": d.kind, "name": d.name}
            for d in queries.days(session=session, year=year)]
    history = [{"id": c.id, "source": c.source, "actor": c.actor, "changed_at": c.changed_at.isoformat(),
                "summary": c.summary} for c in queries.changes(session=session, year=year)]
    return {"year": year, "days": days, "history": history}


def missing_schedule_notice(calendar: HolidayCalendar, today: date) -> str | None:
    """What staff must be told: this year's schedule missing, or (from November) next year's; else None."""
    if not calendar.is_published(today.year):
        return (f"{today.year} 年的节假日安排尚未导入：开放时间暂按常规推算（只分工作日和周末），"
                "请管理员尽快导入国务院通知（stations calendar import 或 员工页面“节假日安排”）")
    if today.month >= WARN_FROM_MONTH and not calendar.is_published(today.year + 1):
        return (f"{today.year + 1} 年的节假日安排尚未导入：国务院通知发布后请导入"
                "（stations calendar import 或 员工页面“节假日安排”），否则新年起开放时间只能按常规推算")
    return None

