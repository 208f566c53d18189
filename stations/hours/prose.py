"""Suggest an opening_hours expression for common Chinese prose, keeping every clause.

"周一至周五 9:00-17:00 节假日休息" -> "Mo-Fr 09:00-17:00; PH off"; "工作日 8:30-17:30" -> "Mo-Fr 08:30-17:30; PH off"
(working days exclude public holidays); "周一至周五 9:00-12:00，14:00-17:30，周六 9:00-12:00" keeps both day groups;
"早8点到晚6点" -> "Mo-Su 08:00-18:00". Anything not understood gives no suggestion rather than a wrong one.
"""

from __future__ import annotations

import re

from stations.errors import InvalidHours
from stations.hours.engine import compile_expression

_CLOCK = (
    r"(?P<{p}>早上|早晨|上午|早|中午|下午|傍晚|晚上|晚)?\s*(?P<{h}>\d{{1,2}})\s*"
    r"(?:[:：]\s*(?P<{m}>\d{{2}})|点(?P<{half}>半)?)?"
)
_SPAN = re.compile(
    _CLOCK.format(p="p1", h="h1", m="m1", half="half1")
    + r"\s*(?:到|至|-|－|~|～|—|–)+\s*"
    + _CLOCK.format(p="p2", h="h2", m="m2", half="half2")
)
_AFTERNOON = ("下午", "傍晚", "晚上", "晚")
_DAY_NAMES = {"一": "Mo", "二": "Tu", "三": "We", "四": "Th", "五": "Fr", "六": "Sa", "日": "Su", "天": "Su",
              "七": "Su"}
_ORDER = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
_PREFIX = r"(?:周|星期|礼拜)"
_DAY = r"[一二三四五六日天七]"
_RANGE = re.compile(rf"{_PREFIX}({_DAY})\s*(?:到|至|-|－|~|～|—|–)\s*{_PREFIX}?({_DAY})")
_LIST = re.compile(rf"{_PREFIX}({_DAY}(?:\s*[、,，和及与]?\s*{_PREFIX}?{_DAY})*)")
_NAMED = ((re.compile(r"工作日"), "Mo-Fr"), (re.compile(r"周末|双休日|节假日和周末|周六日"), "Sa,Su"),
          (re.compile(r"每天|每日|天天|全年|全周|一周七天"), "Mo-Su"))
_OFF = re.compile(r"休息|闭馆|关闭|不开放|停止开放|歇业|关门|除外")
_HOLIDAY_OFF = re.compile(r"(?:法定)?(?:节假日|节日|假日|法定假日)(?:及\S{0,4})?"
                          r"(?:休息|除外|闭馆|关闭|不开放|停止开放|歇业|关门)")
_CLAUSES = re.compile(r"[，,；;。\n]+")


def _clock(match: re.Match[str], n: int) -> str | None:
    """One end of a span as HH:MM, moved to the afternoon after 下午/晚; None if not a time of day."""
    hour = int(match.group(f"h{n}"))
    minute = 30 if match.group(f"half{n}") else int(match.group(f"m{n}") or 0)
    if match.group(f"p{n}") in _AFTERNOON and hour < 12:
        hour += 12
    return f"{hour:02d}:{minute:02d}" if hour <= 24 and minute < 60 else None


def _days(clause: str) -> str | None:
    """The weekdays a clause names (Mo-Fr, Sa,Su, Sa), or None when it names none."""
    for pattern, days in _NAMED:
        if pattern.search(clause):
            return days
    if match := _RANGE.search(clause):
        first, last = _ORDER.index(_DAY_NAMES[match[1]]), _ORDER.index(_DAY_NAMES[match[2]])
        if last - first == 1:
            return f"{_ORDER[first]},{_ORDER[last]}"
        return f"{_ORDER[first]}-{_ORDER[last]}" if last > first else None
    if match := _LIST.search(clause):
        named = [_DAY_NAMES[c] for c in re.findall(_DAY, match[1])]
        return ",".join(sorted(dict.fromkeys(named), key=_ORDER.index))
    return None


def _spans(clause: str) -> list[str] | None:
    """The clause's time spans as HH:MM-HH:MM, [] when it has none, None when one is not a time of day."""
    spans = [(_clock(m, 1), _clock(m, 2)) for m in _SPAN.finditer(clause)]
    if any(a is None or b is None for a, b in spans):
        return None
    return [f"{a}-{b}" for a, b in spans]


def _rules(text: str) -> list[str] | None:
    """One rule per day group, in the order written; None when a clause cannot be read."""
    rules: list[tuple[str, list[str]]] = []
    for clause in filter(None, (c.strip() for c in _CLAUSES.split(text))):
        days, spans = _days(clause), _spans(_HOLIDAY_OFF.sub("", clause))
        if spans is None:
            return None
        if spans and days is None and rules:
            rules[-1][1].extend(spans)
        elif spans:
            rules.append((days or "Mo-Su", spans))
        elif days and _OFF.search(clause):
            rules.append((days, ["off"]))
    return [f"{days} {','.join(spans)}" for days, spans in rules]


def suggest_from_prose(text: str) -> str | None:
    """A valid expression for Chinese prose such as "早8点到晚6点" or "周一至周五 9:00-17:00 节假日休息"; else None."""
    if text.isascii():
        return None
    if re.search(r"24\s*小时|全天", text) and not _SPAN.search(text):
        rules: list[str] | None = ["24/7"]
    else:
        rules = _rules(text)
    if not rules or all(r.endswith(" off") for r in rules):
        return None
    if _HOLIDAY_OFF.search(text) or "工作日" in text:
        rules.append("PH off")
    suggestion = "; ".join(rules)
    try:
        compile_expression(suggestion)
    except InvalidHours:
        return None
    return suggestion
