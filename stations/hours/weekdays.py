"""Day rules (`Mo-Fr`, `Sa,PH`, `PH +1 day`) made explicit per day, so PH and 调休 follow China's calendar."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from stations.errors import InvalidHours
from stations.hours.calendar import DayKind, HolidayCalendar, weekday_stand_in
from stations.hours.engine import compile_expression

_WEEKDAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su)"
_OFFSET = r"(?: [+-]?\d+ days?)"
_ITEM = rf"(?:(?:PH|SH){_OFFSET}?|{_WEEKDAY}(?:-{_WEEKDAY})?(?:\[[^\]]*\])?{_OFFSET}?)"
# A quoted comment (kept as is) or one day rule: items joined by commas, not inside a word.
_RULE = re.compile(rf'("[^"]*")|(?<![A-Za-z])({_ITEM}(?:,{_ITEM})*)(?![A-Za-z])')
_PH_ITEM = re.compile(r"(?<![A-Za-z])PH(?: ([+-]?\d+) days?)?")
_NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_REFERENCE_WEEK = tuple(date(2024, 1, 1) + timedelta(days=i) for i in range(7))  # Monday..Sunday


def _substitute(text: str, replace: Callable[[str], str]) -> str:
    """Apply `replace` to every day rule of `text`, leaving comments alone."""
    return _RULE.sub(lambda m: m.group(1) or replace(m.group(2)), text)


def _replace_all(text: str, *, by: str) -> str:
    """`text` with every day rule replaced by the same stand-in."""
    return _substitute(text, lambda _rule: by)


def rules_of(text: str) -> list[str]:
    """The day rules (outside comments) of an expression, in order."""
    return [m.group(2) for m in _RULE.finditer(text) if m.group(2)]


def is_rewritable(text: str) -> bool:
    """Whether every day rule can be swapped for an explicit list and the result still parses."""
    for stand_in in ("Mo,Tu", "PH"):
        try:
            compile_expression(_replace_all(text, by=stand_in))
        except InvalidHours:
            return False
    return True


@lru_cache(maxsize=1024)
def is_calendar_free(text: str) -> bool:
    """True when no day rule mentions PH and each matches all seven weekdays (so 调休 cannot matter)."""
    for rule in rules_of(text):
        if "PH" in rule or "[" in rule or "day" in rule:
            return False
        if not all(library_matches(rule, d) for d in _REFERENCE_WEEK):
            return False
    return True


@lru_cache(maxsize=8192)
def library_matches(rule: str, d: date) -> bool:
    """Whether the parser (which knows no holidays) picks date `d` with this day rule."""
    return compile_expression(rule).is_open(datetime.combine(d, time(12)))


def _matches(rule: str, d: date, calendar: HolidayCalendar) -> bool:
    """Whether `rule` picks `d` under China's calendar: PH = statutory holiday, 调休 day = Monday."""
    if library_matches(rule, weekday_stand_in(d, calendar)):
        return True
    offsets = (int(m.group(1) or 0) for m in _PH_ITEM.finditer(rule))
    return any(calendar.day_kind(d - timedelta(days=k)) is DayKind.HOLIDAY for k in offsets)


def _explicit(rule: str, window: tuple[date, date], calendar: HolidayCalendar) -> str:
    """The day rule as it acts on (yesterday, today): itself if unchanged, else their weekday names or PH."""
    wanted = [_matches(rule, d, calendar) for d in window]
    if wanted == [library_matches(rule, d) for d in window]:
        return rule
    names = [_NAMES[d.weekday()] for d, hit in zip(window, wanted, strict=True) if hit]
    return ",".join(names) or "PH"  # the parser knows no holidays, so a lone PH never matches


@lru_cache(maxsize=8192)
def rewrite_for_day(text: str, day: date, calendar: HolidayCalendar) -> str:
    """Rewrite `text` so the plain parser evaluates `day` (and yesterday's spill into it) per `calendar`."""
    window = (day - timedelta(days=1), day)
    return _substitute(text, lambda rule: _explicit(rule, window, calendar))
