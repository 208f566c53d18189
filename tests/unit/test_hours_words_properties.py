"""Hours in words never contradict the evaluator: random weekly expressions, their Chinese words read back by a
reader written here (not the renderer's pattern), and `is_open` at sampled instants of 2025-2026, holidays and
make-up workdays included."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from stations.errors import InvalidHours
from stations.hours import DayKind, day_kind, is_open, parse_hours
from stations.hours.words import hours_in_words

DAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
NAMES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)
SPECIAL = tuple(d for d in (FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1))
                if day_kind(d) in (DayKind.HOLIDAY, DayKind.MAKEUP_WORKDAY))
Spans = list[tuple[int, int]]


@dataclass
class Reading:
    """What a reader takes the words to say: spans per weekday, holidays' spans (None: as their weekday), and
    whether make-up workdays follow Monday (else their own weekday)."""

    week: list[Spans]
    holiday: Spans | None
    makeup_as_monday: bool


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _spans(text: str) -> Spans:
    if text == "24小时":
        return [(0, 1440)]
    spans = []
    for part in text.split("、"):
        start, end = part.split("–")
        spans.append((_clock(start), 1440 + _clock(end[2:]) if end.startswith("次日") else _clock(end)))
    return spans


def _days(text: str) -> list[int]:
    if text == "每天":
        return list(range(7))
    found: list[int] = []
    for item in text.split("、"):
        first, _, last = item.partition("至")
        found.extend(range(DAYS.index(first), DAYS.index(last or first) + 1))
    return found


def read(words: str) -> Reading:
    """The Chinese words as a reader understands them (days not named are closed)."""
    reading = Reading([[] for _ in range(7)], None, False)
    if words == "全天24小时开放":
        reading.week = [[(0, 1440)] for _ in range(7)]
        return reading
    if words == "不开放":
        return reading
    for clause in words.split("，"):
        if clause == "法定节假日休息":
            reading.holiday = []
        elif clause.startswith(("法定节假日 ", "仅法定节假日 ")):
            reading.holiday = _spans(clause.split(" ", 1)[1])
        elif clause == "调休上班日同周一":
            reading.makeup_as_monday = True
        else:
            for group in clause.split("；"):
                days, spans = group.split(" ", 1)
                for day in _days(days):
                    assert not reading.week[day], f"{DAYS[day]} named twice in {words!r}"
                    reading.week[day] = _spans(spans)
    return reading


def _own(reading: Reading, day: date) -> Spans:
    kind = day_kind(day)
    if kind is DayKind.HOLIDAY and reading.holiday is not None:
        return reading.holiday
    if kind is DayKind.MAKEUP_WORKDAY and reading.makeup_as_monday:
        return reading.week[0]
    return reading.week[day.weekday()]


def open_by_words(reading: Reading, at: datetime) -> bool:
    """Open at `at` by the words: inside today's own spans or yesterday's spans that run into today."""
    minute = at.hour * 60 + at.minute
    today = any(a <= minute < b for a, b in _own(reading, at.date()))
    spill = any(minute < b - 1440 for _a, b in _own(reading, at.date() - timedelta(days=1)))
    return today or spill


clock_times = st.integers(0, 47).map(lambda half: f"{half // 2:02d}:{30 * (half % 2):02d}")
day_items = st.one_of(
    st.sampled_from(NAMES),
    st.tuples(st.integers(0, 6), st.integers(0, 6)).map(lambda r: f"{NAMES[r[0]]}-{NAMES[r[1]]}"),
    st.just("PH"),
)
span = st.tuples(clock_times, clock_times, st.booleans()).filter(lambda s: s[0] != s[1]).map(
    lambda s: f"{s[0]}-{s[1]}" if s[2] or s[0] < s[1] else f"{s[0]}-{int(s[1][:2]) + 24}:{s[1][3:]}")
rule = st.tuples(
    st.one_of(st.none(), st.lists(day_items, min_size=1, max_size=3, unique=True).map(",".join)),
    st.one_of(st.just("off"), st.lists(span, min_size=1, max_size=2).map(",".join)),
).map(lambda r: f"{r[0]} {r[1]}" if r[0] else r[1])
night_rule = st.tuples(st.sampled_from(NAMES), st.integers(36, 47), st.integers(1, 16)).map(
    lambda r: f"{r[0]} {r[1] // 2:02d}:{30 * (r[1] % 2):02d}-{r[2] // 2:02d}:{30 * (r[2] % 2):02d}")
expressions = st.one_of(
    st.lists(rule, min_size=1, max_size=3).map("; ".join),
    st.lists(night_rule, min_size=1, max_size=3).map("; ".join),
    st.sampled_from(["24/7", "24/7; PH off", "Mo-Fr 08:30-12:00,14:00-17:30; PH off", "Sa,Su,PH off"]),
)
instants = st.one_of(st.sampled_from(SPECIAL), st.dates(FIRST, LAST)).flatmap(
    lambda d: st.integers(0, 1439).map(lambda m: datetime(d.year, d.month, d.day, m // 60, m % 60)))


@settings(max_examples=400, deadline=None)
@given(text=expressions, moments=st.lists(instants, min_size=30, max_size=30))
def test_the_words_never_contradict_is_open(text: str, moments: list[datetime]) -> None:
    try:
        hours = parse_hours(text)
    except InvalidHours:
        assume(False)
        return
    words = hours_in_words(hours.text)
    if words == hours.text:  # no weekly pattern: shown as written, which cannot contradict
        assume(False)
    assert re.fullmatch(r"[^A-Za-z]*", words), words
    reading = read(words)
    for clause, shown in (("法定节假日", "holidays named"), ("调休", "make-up days named"), ("次日", "past midnight")):
        event(shown if clause in words else f"no {shown}")
    for at in moments:
        assert open_by_words(reading, at) is is_open(hours, at=at), f"{words!r} at {at} for {hours.text!r}"


def test_words_can_be_read_back() -> None:
    """The reader above understands the renderer's forms (so the property is not vacuous)."""
    reading = read(hours_in_words(parse_hours("Mo-Fr 08:30-12:00,14:00-17:30; Sa 09:00-12:00; PH off").text))
    assert reading.week[0] == [(510, 720), (840, 1050)] and reading.week[5] == [(540, 720)]
    assert reading.week[6] == [] and reading.holiday == [] and reading.makeup_as_monday
    night = read(hours_in_words(parse_hours("Fr 20:00-02:00; Su 09:00-12:00").text))
    assert night.week[4] == [(1200, 1560)] and night.week[6] == [(540, 720)] and night.holiday is None
