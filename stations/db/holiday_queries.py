"""Reads and writes of the holiday calendar tables (schedules, days, the history of loads)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from stations.db.models import HolidayChange, HolidayDay, HolidaySchedule

_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('stations.holiday_calendar'))")


def lock(*, session: Session) -> None:
    """Serialise calendar writers (app processes starting together, an admin's load) until the transaction ends."""
    session.execute(_LOCK)


def version(*, session: Session) -> int:
    """The id of the latest load (0 before any): it changes whenever the calendar does."""
    return int(session.scalar(select(func.coalesce(func.max(HolidayChange.id), 0))) or 0)


def schedules(*, session: Session) -> Sequence[HolidaySchedule]:
    """Every loaded year's schedule, by year."""
    return session.scalars(select(HolidaySchedule).order_by(HolidaySchedule.year)).all()


def schedule(*, session: Session, year: int) -> HolidaySchedule | None:
    """One year's schedule, or None when it is not loaded."""
    return session.get(HolidaySchedule, year)


def days(*, session: Session, year: int | None = None) -> Sequence[HolidayDay]:
    """The listed days (of one schedule year, or all), by date."""
    query = select(HolidayDay).order_by(HolidayDay.day)
    return session.scalars(query if year is None else query.where(HolidayDay.year == year)).all()


def days_on(*, session: Session, dates: Sequence[object]) -> Sequence[HolidayDay]:
    """The listed days among `dates`, whichever schedule lists them."""
    return session.scalars(select(HolidayDay).where(HolidayDay.day.in_(dates))).all()


def drop_days(*, session: Session, year: int) -> None:
    """Remove the days a year's schedule listed (before it is replaced)."""
    session.execute(delete(HolidayDay).where(HolidayDay.year == year))


def changes(*, session: Session, year: int | None = None, limit: int = 50) -> Sequence[HolidayChange]:
    """The latest loads, newest first (of one year, or all)."""
    query = select(HolidayChange).order_by(HolidayChange.id.desc()).limit(limit)
    return session.scalars(query if year is None else query.where(HolidayChange.year == year)).all()
