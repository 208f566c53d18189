"""Suggest an opening_hours expression for common Chinese prose such as "早8点到晚6点"."""

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
_DAYS = (
    (re.compile(r"工作日|周一\s*(?:到|至|-|～|~)\s*周五|星期一\s*(?:到|至|-|～|~)\s*星期五"), "Mo-Fr"),
    (re.compile(r"周一\s*(?:到|至|-|～|~)\s*周六|星期一\s*(?:到|至|-|～|~)\s*星期六"), "Mo-Sa"),
    (re.compile(r"周末|双休日"), "Sa-Su"),
)


def _clock(match: re.Match[str], n: int) -> str | None:
    """One end of a span as HH:MM, moved to the afternoon after 下午/晚; None if not a time of day."""
    hour = int(match.group(f"h{n}"))
    minute = 30 if match.group(f"half{n}") else int(match.group(f"m{n}") or 0)
    if match.group(f"p{n}") in _AFTERNOON and hour < 12:
        hour += 12
    return f"{hour:02d}:{minute:02d}" if hour <= 24 and minute < 60 else None


def _days(text: str) -> str:
    """The weekday range named in the prose; every day when none is named."""
    return next((days for pattern, days in _DAYS if pattern.search(text)), "Mo-Su")


def suggest_from_prose(text: str) -> str | None:
    """A valid expression for Chinese prose like "早8点到晚6点" or "8：00—18：00"; else None."""
    if text.isascii():
        return None
    if re.search(r"24\s*小时|全天", text):
        return "24/7"
    spans = [(_clock(m, 1), _clock(m, 2)) for m in _SPAN.finditer(text)]
    if not spans or any(a is None or b is None for a, b in spans):
        return None
    suggestion = f"{_days(text)} " + ",".join(f"{a}-{b}" for a, b in spans)
    try:
        compile_expression(suggestion)
    except InvalidHours:
        return None
    return suggestion
