"""Every cache on the nearest lookup's path, owned by one object with one `reset()`.

What a process keeps between lookups, and why each is safe:
- opening states per minute: hours have minute resolution, so every lookup in a minute shares one evaluation of
  each timetable (status, hours, self-service hours); the last few minutes are kept, keyed with the calendar;
- learned timetables: the (hours, self-service hours) pairs lookups returned, so an open filter runs inside the
  SQL (`open_timetables`): a station on a known, closed timetable is skipped in the index scan, one on a timetable
  not learned yet still reaches the check in Python; exact either way;
- statements per (shape, k), navigation links per destination, reply labels per language, hours in words per
  (hours, self-service hours, ways in, language): pure functions of their arguments, kept because every row of
  every lookup asks for them.
The hours library memoises its own pure functions; `reset()` clears those too, so a reset is a fresh process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from stations import hours
from stations.db.nearest_sql import Shape, Statement, nearest_statement, timetable_key
from stations.hours import HolidayCalendar, OpeningWords, opening_words
from stations.nearest import navigation
from stations.nearest.alerts import AlertCache
from stations.nearest.opening import Opening, opening

Timetable = tuple[str, str, str | None]
"""(status, hours, self-service hours): what a station's opening depends on."""


class NearestCaches:
    """The nearest lookup's memory, bounded: `STATES_PER_MINUTE` states in each of `MINUTES` minutes, `TIMETABLES`
    learned timetables, and LRU bounds on the pure functions."""

    STATES_PER_MINUTE = 4096
    MINUTES = 4
    TIMETABLES = 256
    WORDS = 4096

    def __init__(self) -> None:
        self._minutes: dict[tuple[datetime, HolidayCalendar], dict[Timetable, Opening]] = {}
        self._known: dict[tuple[str, str | None], str] = {}
        self._split: dict[tuple[datetime, int, HolidayCalendar], tuple[list[str], list[str]]] = {}
        self.statement: Callable[[Shape, int], Statement] = lru_cache(maxsize=512)(nearest_statement)
        self.destination: Callable[[float, float, str], tuple[str, str, str, str]] = (
            lru_cache(maxsize=32768)(navigation.destination))
        self._labels: dict[str, Any] = {}
        self._words: dict[tuple[str, str | None, tuple[str, ...], str], OpeningWords] = {}
        self.alerts = AlertCache()  # issue 24: weather alerts in force, reloaded every few seconds

    def reset(self) -> None:
        """Forget everything: the next lookup runs as in a fresh process."""
        self._minutes.clear()
        self._known.clear()
        self._split.clear()
        self.statement.cache_clear()  # type: ignore[attr-defined]
        self.destination.cache_clear()  # type: ignore[attr-defined]
        self._labels.clear()
        self._words.clear()
        self.alerts.reset()
        hours.clear_caches()

    def states(self, at: datetime, calendar: HolidayCalendar) -> dict[Timetable, Opening]:
        """The states evaluated in `at`'s minute under `calendar` (shared by that minute's lookups)."""
        key = (at.replace(second=0, microsecond=0), calendar)
        states = self._minutes.get(key)
        if states is None:
            while len(self._minutes) >= self.MINUTES:
                del self._minutes[next(iter(self._minutes))]  # the oldest minute
            states = self._minutes[key] = {}
        return states

    def opening(self, states: dict[Timetable, Opening], timetable: Timetable, *, at: datetime,
                calendar: HolidayCalendar) -> Opening:
        """A timetable's state from `states` (`self.states(at, calendar)`), evaluated and kept on a miss."""
        state = states.get(timetable)
        if state is None:
            state = opening(status=timetable[0], hours=timetable[1], self_service_hours=timetable[2],
                            at=at.replace(second=0, microsecond=0), calendar=calendar)
            if len(states) < self.STATES_PER_MINUTE:
                states[timetable] = state
        return state

    def learn(self, hours_: str, self_service_hours: str | None) -> None:
        """Remember a timetable a lookup returned (a dict lookup once it is known)."""
        timetable = (hours_, self_service_hours)
        if timetable not in self._known and len(self._known) < self.TIMETABLES:
            self._known[timetable] = timetable_key(hours_, self_service_hours)

    def learned(self) -> bool:
        """Whether any timetable is known yet (before, an open filter over-fetches for Python to sift)."""
        return bool(self._known)

    def open_timetables(self, at: datetime, calendar: HolidayCalendar) -> tuple[list[str], list[str]]:
        """SQL keys of the known timetables the open filter keeps at `at` (open, or open on an ordinary day), and of
        all known ones (shared: do not modify). Kept per minute and per size of the known set (it only grows)."""
        key = (at.replace(second=0, microsecond=0), len(self._known), calendar)
        split = self._split.get(key)
        if split is None:
            known = list(self._known.items())
            states = self.states(key[0], calendar)
            open_keys = [k for (h, s), k in known
                         if self.opening(states, ("active", h, s), at=key[0], calendar=calendar).open_if_ordinary]
            if len(self._split) >= 64:
                self._split.clear()
            split = self._split[key] = (open_keys, [k for _, k in known])
        return split

    def labels(self, lang: str, build: Callable[[str], Any]) -> Any:
        """`build(lang)`, kept per language (reply labels from reference data)."""
        found = self._labels.get(lang)
        if found is None:
            found = self._labels[lang] = build(lang)
        return found

    def words(self, hours_: str, self_service_hours: str | None, access: Sequence[str], lang: str) -> OpeningWords:
        """A row's opening in words (`hours.opening_words`), kept per (hours, self-service hours, ways in, lang)."""
        key = (hours_, self_service_hours, tuple(access), lang)
        said = self._words.get(key)
        if said is None:
            said = opening_words(hours_, self_service_hours, access, lang)
            if len(self._words) < self.WORDS:
                self._words[key] = said
        return said
