"""The registry's holiday calendar as one app process holds it, re-read when any process loads a year."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from stations.db import holiday_queries as queries
from stations.hours.calendar import HolidayCalendar, package_calendar
from stations.services.holidays.store import add_package_years, load_calendar

log = logging.getLogger(__name__)


class LiveCalendar:
    """The calendar lookups are judged by: the registry's, refreshed when its version (latest load) changes.

    Until the registry has been read (database down at start-up) it is the installed chinesecalendar's.
    """

    def __init__(self) -> None:
        self.current: HolidayCalendar = package_calendar()
        self.version = -1

    def install(self, calendar: HolidayCalendar, version: int) -> None:
        """Use `calendar` from now on (the registry's as of `version`)."""
        self.current, self.version = calendar, version

    def refresh(self, *, session: Session) -> bool:
        """Re-read the registry's calendar if another load happened since; True when it changed."""
        if queries.version(session=session) == self.version:
            return False
        self.install(*load_calendar(session=session))
        return True

    def sync(self, *, session: Session) -> list[int]:
        """`refresh`, first adding the years chinesecalendar knows and the registry lacks if this process has not
        read the registry yet (its first read: at start-up, or later if the database was down then); returns the
        years added."""
        added = add_package_years(session=session) if self.version < 0 else []
        self.refresh(session=session)
        return added

    async def follow(self, sessions: Callable[[], Session], *, every: float) -> None:
        """Refresh every `every` seconds for as long as the app runs (a failed read is logged and retried)."""
        while True:
            await asyncio.sleep(every)
            try:
                await asyncio.to_thread(self._refresh_in, sessions)
            except Exception as exc:  # the database may be restarting; the current calendar stays
                log.warning("holiday_calendar_not_refreshed", extra={"detail": str(exc)})

    def _refresh_in(self, sessions: Callable[[], Session]) -> None:
        before = self.version
        with sessions() as session, session.begin():
            self.sync(session=session)
        if self.version != before:
            log.info("holiday_calendar_refreshed", extra={"version": self.version})
