"""The holiday calendar in the registry: chinesecalendar's years added once, admins' loads with history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stations.db.models import HolidayChange, HolidayDay, HolidaySchedule
from stations.errors import InvalidInput
from stations.hours import DayKind, package_calendar
from stations.hours.calendar import package_schedules
from stations.services import holidays

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "holidays"
SYNTHETIC = (FIXTURES / "2027-synthetic.json").read_bytes()


def load(session: Session, content: bytes = SYNTHETIC, name: str = "2027.json") -> holidays.Preview:
    holidays.add_package_years(session=session)
    return holidays.apply(session=session, schedule=holidays.read_schedule(content, name), actor="admin")


def test_package_years_are_added_once_and_read_back_as_the_package_calendar(session: Session) -> None:
    holidays.add_package_years(session=session)
    assert holidays.add_package_years(session=session) == []  # idempotent
    calendar, version = holidays.load_calendar(session=session)
    assert version > 0
    package = package_calendar()
    assert calendar.published_years == package.published_years
    for year, days in package_schedules().items():
        assert calendar.days_of(year) == list(days), year
    assert calendar.day_kind(date(2026, 2, 14)) is DayKind.MAKEUP_WORKDAY


def test_loading_a_year_publishes_it_with_who_and_when(session: Session) -> None:
    result = load(session)
    assert result.replaces is None and len(result.added) == 34
    calendar, _ = holidays.load_calendar(session=session)
    assert calendar.is_published(2027)
    assert calendar.day_kind(date(2027, 2, 8)) is DayKind.HOLIDAY  # Monday inside the synthetic Spring Festival
    assert calendar.day_kind(date(2027, 2, 20)) is DayKind.MAKEUP_WORKDAY
    row = session.get(HolidaySchedule, 2027)
    assert row is not None and (row.loaded_by, row.source) == ("admin", "holiday-cn 2027.json")
    assert row.papers == ["https://example.invalid/synthetic-2027-holiday-notice"]
    change = session.scalars(select(HolidayChange).where(HolidayChange.year == 2027)).one()
    assert change.summary["action"] == "load" and change.summary["days"] == 34


def test_loading_again_replaces_the_year_and_records_what_changed(session: Session) -> None:
    load(session)
    csv = (FIXTURES / "2027-synthetic.csv").read_text().replace("2027-06-09,holiday,端午节\n", "")
    result = load(session, csv.encode(), "fixed.csv")
    assert result.replaces is not None and result.replaces["loaded_by"] == "admin"
    assert result.removed == [{"date": "2027-06-09", "kind": "holiday", "name": "端午节"}]
    assert result.added == [] and result.changed == []
    assert session.scalar(select(func.count()).select_from(HolidayDay).where(HolidayDay.year == 2027)) == 33
    actions = session.scalars(select(HolidayChange.summary["action"].astext).where(HolidayChange.year == 2027)
                              .order_by(HolidayChange.id)).all()
    assert actions == ["load", "replace"]


def test_an_admins_year_is_never_overwritten_by_the_package(session: Session) -> None:
    holidays.add_package_years(session=session)
    law = "\n".join(f"2026-{d},holiday,节日" for d in ("01-01", "05-01", "05-02", "10-01", "10-02", "10-03"))
    holidays.apply(session=session, schedule=holidays.read_schedule(law.encode(), "2026.csv"), actor="admin")
    assert holidays.add_package_years(session=session) == []
    statuses = {y.year: y for y in holidays.year_statuses(session=session, today=date(2026, 12, 6))}
    assert statuses[2026].state == "loaded" and statuses[2026].days == 6
    assert "有" in (statuses[2026].package_check or "") and "处不同" in (statuses[2026].package_check or "")
    assert statuses[2025].state == "official" and statuses[2027].state == "not_known"


def test_a_file_with_errors_writes_nothing(session: Session) -> None:
    holidays.add_package_years(session=session)
    before = session.scalar(select(func.count()).select_from(HolidayChange))
    bad = (FIXTURES / "2027-not-published.json").read_bytes()
    with pytest.raises(InvalidInput, match="没有导入"):
        holidays.apply(session=session, schedule=holidays.read_schedule(bad, "2027.json"), actor="admin")
    assert session.scalar(select(func.count()).select_from(HolidayChange)) == before
    assert session.get(HolidaySchedule, 2027) is None


def test_a_day_another_years_schedule_lists_differently_is_a_conflict(session: Session) -> None:
    load(session)  # the synthetic 2027 lists Saturday 2 January 2027 as a holiday (元旦)
    law_2026 = [f"2026-{d},holiday,节日" for d in ("01-01", "05-01", "05-02", "10-01", "10-02", "10-03")]
    clash = holidays.read_schedule("\n".join([*law_2026, "2027-01-02,makeup_workday,元旦"]).encode(), "2026.csv")
    result = holidays.preview(session=session, schedule=clash)
    assert any("2027-01-02 在 2027 年的安排中是放假" in e for e in result.schedule.errors)
    with pytest.raises(InvalidInput):
        holidays.apply(session=session, schedule=clash, actor="admin")
    agreeing = holidays.read_schedule("\n".join([*law_2026, "2027-01-02,holiday,元旦"]).encode(), "2026.csv")
    holidays.apply(session=session, schedule=agreeing, actor="admin")  # the same kind: kept with 2027's schedule
    day = session.get(HolidayDay, date(2027, 1, 2))
    assert day is not None and day.year == 2027


def test_missing_schedule_notice_from_november(session: Session) -> None:
    holidays.add_package_years(session=session)
    calendar, _ = holidays.load_calendar(session=session)
    assert holidays.missing_schedule_notice(calendar, date(2026, 10, 31)) is None
    november = holidays.missing_schedule_notice(calendar, date(2026, 11, 1))
    assert november is not None and "2027 年的节假日安排尚未导入" in november
    january = holidays.missing_schedule_notice(calendar, date(2027, 1, 5))
    assert january is not None and "按常规推算" in january
    load(session)
    calendar, _ = holidays.load_calendar(session=session)
    assert holidays.missing_schedule_notice(calendar, date(2026, 12, 6)) is None
