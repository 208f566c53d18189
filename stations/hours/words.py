"""Opening hours in words, Chinese or English: the one renderer behind the map, the sign, the exports, the staff
pages and the API's `hours_text`.

    Mo-Fr 08:30-12:00,14:00-17:30; PH off  ->  周一至周五 08:30–12:00、14:00–17:30，法定节假日休息，调休上班日同周一
    24/7                                   ->  全天24小时开放
    Fr 20:00-02:00                         ->  周五 20:00–次日02:00

The words say the weekly pattern `weekly.pattern` reads back from the evaluator, so they never contradict
`is_open`: days not named are closed; holidays are named when their hours differ from their weekday's
(法定节假日休息 is the rule, whichever dates a year's notice makes holidays); make-up workdays (调休) are named
when Monday differs from a weekend day. An expression with no weekly pattern (months, dates, comments, the parser's
overnight-holiday quirk) is shown as written rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from stations.hours.parse import is_unknown
from stations.hours.weekly import DAY, Pattern, Span, pattern
from stations.reference import ACCESS_LABELS


@dataclass(frozen=True)
class _Vocabulary:
    days: tuple[str, ...]
    every_day: str
    always: str
    closed: str
    through: str
    list_sep: str
    group_sep: str
    clause_sep: str
    full_day: str
    holidays_off: str
    holidays: str
    only_holidays: str
    makeup: str
    next_day: str  # "{t}" is the clock time
    unknown: str  # hours nobody gave


ZH = _Vocabulary(
    days=("周一", "周二", "周三", "周四", "周五", "周六", "周日"), every_day="每天", always="全天24小时开放",
    closed="不开放", through="至", list_sep="、", group_sep="；", clause_sep="，", full_day="24小时",
    holidays_off="法定节假日休息", holidays="法定节假日", only_holidays="仅法定节假日", makeup="调休上班日同周一",
    next_day="次日{t}", unknown="开放时间未知",
)
EN = _Vocabulary(
    days=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), every_day="Daily", always="Open 24 hours, every day",
    closed="Closed", through="–", list_sep=", ", group_sep="; ", clause_sep="; ", full_day="24 hours",
    holidays_off="closed on public holidays", holidays="public holidays", only_holidays="only on public holidays",
    makeup="make-up workdays as Monday", next_day="{t} next day", unknown="Hours unknown",
)
VOCABULARY = {"zh": ZH, "en": EN}
DASH = "–"
_ACCESS = {term.code: term for term in ACCESS_LABELS.values()}


@dataclass(frozen=True, slots=True)
class OpeningWords:
    """A station's opening in words: staffed hours, self-service hours and how to get in (None when it has none)."""

    hours: str
    self_service: str | None
    access: str | None


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _spans(spans: Sequence[Span], say: _Vocabulary) -> str:
    """"08:30–12:00、14:00–17:30", with "次日" for a span ending the next morning."""
    if tuple(spans) == ((0, DAY),):
        return say.full_day
    parts = []
    for start, end in spans:
        finish = _clock(end) if end <= DAY else say.next_day.format(t=_clock(end - DAY))
        parts.append(f"{_clock(start)}{DASH}{finish}")
    return say.list_sep.join(parts)


def _days(weekdays: list[int], say: _Vocabulary) -> str:
    """"周一至周五", "周六、周日", "周一、周三至周五": runs of three or more days as a range."""
    if len(weekdays) == 7:
        return say.every_day
    runs: list[list[int]] = []
    for day in weekdays:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = []
    for run in runs:
        if len(run) >= 3:
            names.append(f"{say.days[run[0]]}{say.through}{say.days[run[-1]]}")
        else:
            names.extend(say.days[d] for d in run)
    return say.list_sep.join(names)


def _week(found: Pattern, say: _Vocabulary) -> list[str]:
    """One phrase per set of weekdays sharing the same spans, in weekday order; closed days are left out."""
    groups: dict[tuple[Span, ...], list[int]] = {}
    for weekday, spans in enumerate(found.week):
        if spans:
            groups.setdefault(spans, []).append(weekday)
    return [f"{_days(days, say)} {_spans(spans, say)}" for spans, days in groups.items()]


def say_pattern(found: Pattern, lang: str = "zh") -> str:
    """The words of a weekly pattern."""
    say = VOCABULARY[lang]
    if all(spans == ((0, DAY),) for spans in found.week) and found.holiday is None:
        return say.always
    week = _week(found, say)
    clauses = [say.group_sep.join(week)] if week else []
    if found.holiday == ():
        clauses.append(say.holidays_off)
    elif found.holiday is not None:
        clauses.append(f"{say.holidays if week else say.only_holidays} {_spans(found.holiday, say)}")
    if week and found.makeup_differs:
        clauses.append(say.makeup)
    return say.clause_sep.join(clauses) if week or found.holiday else say.closed


@lru_cache(maxsize=4096)
def hours_in_words(text: str, lang: str = "zh") -> str:
    """A normalised opening_hours expression in words (`lang` zh or en); as written when it has no weekly pattern."""
    if is_unknown(text):
        return VOCABULARY[lang].unknown
    found = pattern(text)
    return text if found is None else say_pattern(found, lang)


def access_in_words(methods: Iterable[str], lang: str = "zh") -> str | None:
    """"扫码开门、刷脸开门"; a code outside the vocabulary as itself; None for none."""
    say = VOCABULARY[lang]
    labels = [getattr(_ACCESS[m], lang) if m in _ACCESS else m for m in methods]
    return say.list_sep.join(labels) or None


def opening_words(hours: str, self_service_hours: str | None, access_methods: Iterable[str],
                  lang: str = "zh") -> OpeningWords:
    """Staffed hours, self-service hours and the ways in, in words (what the API sends as `*_text`)."""
    return OpeningWords(
        hours=hours_in_words(hours, lang),
        self_service=hours_in_words(self_service_hours, lang) if self_service_hours else None,
        access=access_in_words(access_methods, lang),
    )
