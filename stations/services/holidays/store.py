"""The registry's holiday calendar: built from its tables, topped up from chinesecalendar, loaded by admins."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from stations.db import holiday_queries as queries
from stations.db.models import HolidayChange, HolidayDay, HolidaySchedule
from stations.errors import InvalidInput
from stations.hours.calendar import DayKind, HolidayCalendar, OfficialDay, package_schedules, package_version
from stations.services.holidays.files import CheckedSchedule

log = logging.getLogger(__name__)
PACKAGE_ACTOR = "chinesecalendar"


def load_calendar(*, session: Session) -> tuple[HolidayCalendar, int]:
    """The calendar the registry holds and its version (the latest load's id)."""
    listed = [OfficialDay(d.day, DayKind(d.kind), d.name) for d in queries.days(session=session)]
    years = [s.year for s in queries.schedules(session=session)]
    return HolidayCalendar(listed, years, label="registry"), queries.version(session=session)


def add_package_years(*, session: Session) -> list[int]:
    """Add each year the installed chinesecalendar knows and the registry lacks (never overwriting a year an admin
    loaded); returns the years added."""
    queries.lock(session=session)
    loaded = {s.year for s in queries.schedules(session=session)}
    added = []
    for year, listed in package_schedules().items():
        if year not in loaded:
            _write(session=session, year=year, listed=listed, source=package_version(), papers=[],
                   actor=PACKAGE_ACTOR, summary={"action": "package", "days": len(listed)})
            added.append(year)
    return added


@dataclass(frozen=True)
class Preview:
    """What applying a checked schedule would do: its report, and how it differs from the stored year."""

    schedule: CheckedSchedule
    replaces: dict[str, Any] | None
    added: list[dict[str, str]]
    removed: list[dict[str, str]]
    changed: list[dict[str, str]]

    def report(self) -> dict[str, Any]:
        """The dry run's report as JSON."""
        s = self.schedule
        return {"year": s.year, "source": s.source, "papers": s.papers, "ok": s.ok, "errors": s.errors,
                "warnings": s.warnings, "days": len(s.days), "blocks": s.blocks(), "replaces": self.replaces,
                "added": self.added, "removed": self.removed, "changed": self.changed}


def preview(*, session: Session, schedule: CheckedSchedule) -> Preview:
    """Compare a checked schedule with the stored year and with days other years' schedules list."""
    stored = {d.day: d for d in queries.days(session=session, year=schedule.year)} if schedule.ok else {}
    current = queries.schedule(session=session, year=schedule.year) if schedule.ok else None
    given = {d.day: d for d in schedule.days}
    for other in queries.days_on(session=session, dates=list(given)) if schedule.ok else []:
        mine = given[other.day]
        if other.year != schedule.year and other.kind != mine.kind.value:
            schedule.errors.append(f"{other.day} 在 {other.year} 年的安排中是{_word(other.kind)}，"
                                   f"这个文件却列为{_word(mine.kind.value)}：请先核对两份通知")
    replaces = None if current is None else {"source": current.source, "loaded_by": current.loaded_by,
                                             "loaded_at": current.loaded_at.isoformat()}
    return Preview(
        schedule=schedule, replaces=replaces,
        added=[_entry(d.day, d.kind.value, d.name) for day, d in sorted(given.items()) if day not in stored],
        removed=[_entry(day, d.kind, d.name) for day, d in sorted(stored.items()) if day not in given],
        changed=[_entry(day, d.kind.value, d.name) for day, d in sorted(given.items())
                 if day in stored and (stored[day].kind, stored[day].name) != (d.kind.value, d.name)],
    )


def apply(*, session: Session, schedule: CheckedSchedule, actor: str) -> Preview:
    """Replace the year's schedule with a checked one, in the caller's transaction, with a history entry;
    `InvalidInput` (nothing written) when the file has errors."""
    queries.lock(session=session)
    result = preview(session=session, schedule=schedule)
    if not schedule.ok:
        raise InvalidInput(f"{schedule.year} 年的节假日安排有错误，没有导入：" + "；".join(schedule.errors[:5]))
    summary = {"action": "replace" if result.replaces else "load", "days": len(schedule.days),
               "added": result.added, "removed": result.removed, "changed": result.changed,
               "replaced": result.replaces}
    _write(session=session, year=schedule.year, listed=schedule.days, source=schedule.source,
           papers=schedule.papers, actor=actor, summary=summary)
    log.info("holiday_schedule_loaded", extra={"year": schedule.year, "actor": actor, "days": len(schedule.days)})
    return result


def _write(*, session: Session, year: int, listed: Any, source: str, papers: list[str], actor: str,
           summary: dict[str, Any]) -> None:
    """Replace one year's schedule row and days (days another year already lists stay with that year)."""
    queries.drop_days(session=session, year=year)
    row = queries.schedule(session=session, year=year)
    if row is None:
        row = HolidaySchedule(year=year)
        session.add(row)
    row.source, row.papers, row.loaded_by, row.loaded_at = source[:200], papers, actor[:64], datetime.now().astimezone()
    session.flush()
    taken = {d.day for d in queries.days_on(session=session, dates=[d.day for d in listed])}
    session.add_all(HolidayDay(day=d.day, kind=d.kind.value, name=d.name, year=year, source=source[:200],
                               loaded_by=actor[:64]) for d in listed if d.day not in taken)
    session.add(HolidayChange(year=year, source=source[:200], actor=actor[:64], summary=summary))
    session.flush()


def _entry(day: date, kind: str, name: str) -> dict[str, str]:
    return {"date": day.isoformat(), "kind": kind, "name": name}


def _word(kind: str) -> str:
    return "放假" if kind == DayKind.HOLIDAY.value else "调休上班"
