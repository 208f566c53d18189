"""Opening hours as a weekly pattern read back from the evaluator, and proven against it day by day.

`pattern(text)` gives each weekday's open spans, what statutory holidays do, and whether make-up workdays (调休)
follow Monday, as the words on a sign say them: "周一至周五 08:30–17:30，法定节假日休息". It is read from
`schedule.day_segments` itself (the evaluator), never from a second parser, so it means what `is_open` does:

1. Only weekly expressions qualify: weekdays, `PH`, times, `off`/`closed`/`open`, `24/7`. Months, dates, week
   numbers, `PH +1 day`, `Mo[1]`, sunrise, open ends (`10:00+`), comments and `unknown` give None.
2. The spans come from an ordinary week and from a week of holidays; an open stretch that runs to midnight and
   on into the next morning is one span ending "next day" (end > 1440).
3. The pattern is then checked exhaustively: a day's schedule depends only on its weekday and on its own and the
   previous day's kind (ordinary, holiday, make-up workday), so every such pair is evaluated and compared with
   what the pattern says. Any difference (the parser's documented overnight-holiday quirk, say) gives None.

So a pattern, when there is one, agrees with the evaluator on every real date of every calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from stations.hours.calendar import OFFICIAL_KINDS, DayKind, HolidayCalendar, OfficialDay
from stations.hours.schedule import day_segments
from stations.hours.weekdays import is_calendar_free

DAY = 1440
Span = tuple[int, int]
"""Minutes after the day's midnight, [start, end); an end past 1440 runs into the next morning."""

_WEEKLY = re.compile(r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|off|closed|open|24/7|\d{1,2}:\d{2}|[-,; ])+")
# A year whose schedule counts as published with no official days, so every day is ordinary unless told.
_YEAR = 2001
_MONDAY = date(_YEAR, 1, 8)
_DATES = tuple(_MONDAY + timedelta(days=i) for i in range(-1, 8))  # the Sunday before .. the Monday after


@dataclass(frozen=True, slots=True)
class Pattern:
    """Open spans by weekday (Monday first); `holiday` the spans of any statutory holiday, or None when holidays
    keep their weekday's hours. A make-up workday always follows Monday's hours."""

    week: tuple[tuple[Span, ...], ...]
    holiday: tuple[Span, ...] | None

    def spans(self, weekday: int, kind: DayKind) -> tuple[Span, ...]:
        """The spans a day of this weekday and kind opens in (its own, not yesterday's spill)."""
        if kind is DayKind.HOLIDAY and self.holiday is not None:
            return self.holiday
        return self.week[0] if kind is DayKind.MAKEUP_WORKDAY else self.week[weekday]

    @property
    def makeup_differs(self) -> bool:
        """Whether saying "make-up workdays follow Monday" tells a reader anything (Monday differs from a weekend
        day)."""
        return self.week[0] != self.week[5] or self.week[0] != self.week[6]


def _calendar(kinds: tuple[tuple[date, DayKind], ...]) -> HolidayCalendar:
    """A calendar where the given days have the given kinds and every other day is ordinary."""
    return _official(tuple((d, kind) for d, kind in kinds if kind in OFFICIAL_KINDS))


@cache
def _official(kinds: tuple[tuple[date, DayKind], ...]) -> HolidayCalendar:
    """One calendar object per set of official days (evaluation caches key on the calendar)."""
    return HolidayCalendar((OfficialDay(d, kind, "") for d, kind in kinds), (_YEAR,), label="weekly pattern")


def _pieces(text: str, day: date, calendar: HolidayCalendar) -> tuple[Span, ...]:
    """The open stretches of one day as minute spans within it."""
    midnight = datetime.combine(day, datetime.min.time())

    def minutes(moment: datetime) -> int:
        return int((moment - midnight).total_seconds() // 60)

    return tuple((minutes(a), minutes(b)) for a, b, open_ in day_segments(text, day, calendar) if open_)


def _joined(days: list[tuple[Span, ...]]) -> tuple[tuple[Span, ...], ...]:
    """Each weekday's own spans from its pieces: an evening piece ending at midnight takes the next morning's piece
    (one that starts at midnight and ends before the next midnight) as its "next day" part."""
    runs_on = [bool(days[w]) and days[w][-1][1] == DAY and days[w][-1][0] > 0 and bool(days[(w + 1) % 7])
               and days[(w + 1) % 7][0][0] == 0 and days[(w + 1) % 7][0][1] < DAY for w in range(7)]
    week = []
    for w in range(7):
        own = list(days[w][1:] if runs_on[w - 1] else days[w])
        if runs_on[w]:
            own[-1] = (own[-1][0], DAY + days[(w + 1) % 7][0][1])
        week.append(tuple(own))
    return tuple(week)


def _week(text: str, kind: DayKind | None) -> tuple[tuple[Span, ...], ...]:
    """Each weekday's spans in a week whose days (and the Sunday before) are all of `kind` (None: ordinary)."""
    calendar = _calendar(tuple((d, kind) for d in _DATES) if kind else ())
    return _joined([_pieces(text, d, calendar) for d in _DATES[1:8]])


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Spans sorted, with touching or overlapping ones made one."""
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def implied(found: Pattern, weekday: int, kind: DayKind, before: DayKind) -> tuple[Span, ...]:
    """What the pattern says a day's open stretches are, given its kind and the previous day's."""
    own = [(a, min(b, DAY)) for a, b in found.spans(weekday, kind)]
    spill = [(0, b - DAY) for _a, b in found.spans((weekday - 1) % 7, before) if b > DAY]
    return _merged(own + spill)


def _kinds(day: date) -> tuple[DayKind, ...]:
    """The kinds a day of this weekday can be: its ordinary kind, a holiday, and on a weekend a make-up workday."""
    if day.weekday() >= 5:
        return DayKind.WEEKEND, DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY
    return DayKind.WORKDAY, DayKind.HOLIDAY


def _agrees(text: str, found: Pattern, calendar_free: bool) -> bool:
    """Whether the evaluator opens exactly as the pattern says on every weekday after every kind of day."""
    for day in _DATES[1:8]:
        before = day - timedelta(days=1)
        for kind in _kinds(day)[:1] if calendar_free else _kinds(day):
            for previous in _kinds(before)[:1] if calendar_free else _kinds(before):
                calendar = _calendar(((before, previous), (day, kind)))
                if _pieces(text, day, calendar) != implied(found, day.weekday(), kind, previous):
                    return False
    return True


@lru_cache(maxsize=4096)
def pattern(text: str) -> Pattern | None:
    """The weekly pattern of a normalised expression, or None when it is not weekly or cannot be said exactly."""
    if not _WEEKLY.fullmatch(text):
        return None
    calendar_free = is_calendar_free(text)
    week = _week(text, None)
    holiday: tuple[Span, ...] | None = None
    if not calendar_free:
        holidays = _week(text, DayKind.HOLIDAY)
        if holidays != week:
            if len(set(holidays)) != 1:
                return None
            holiday = holidays[0]
    found = Pattern(week, holiday)
    return found if _agrees(text, found, calendar_free) else None
