"""Parse and normalise opening_hours text into an immutable `Hours` value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stations.errors import InvalidHours
from stations.hours.engine import compile_expression
from stations.hours.prose import suggest_from_prose
from stations.hours.weekdays import is_rewritable

UNKNOWN = "unknown"
"""What a station's hours are when nobody said (OpenStreetMap's `unknown` state): never counted as open, shown as
"开放时间未知"; the column stays NOT NULL, and readers that predate it evaluate it as not open."""
_UNKNOWN_SPELLINGS = frozenset({"unknown", "24/7 unknown"})

# The parser prints "PH +1 day" as "PH 1 days", which it cannot read back; put the sign back.
_UNSIGNED_OFFSET = re.compile(r'("[^"]*")|(?<![A-Za-z])(PH|SH) (\d+) days')


@dataclass(frozen=True, slots=True)
class Hours:
    """A validated opening_hours expression (OpenStreetMap syntax) in the parser's normalised form."""

    text: str
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        """The normalised expression."""
        return self.text


def _normalise(stripped: str) -> str:
    """The parser's canonical spelling of a valid expression, or the input when that does not read back."""
    canonical = str(compile_expression(stripped))
    fixed = _UNSIGNED_OFFSET.sub(lambda m: m.group(1) or f"{m.group(2)} +{m.group(3)} days", canonical)
    try:
        readable = str(compile_expression(fixed)) == canonical
    except InvalidHours:
        readable = False
    return fixed if readable else stripped


def _rejection(text: str, parser_message: str) -> InvalidHours:
    """The error for unparsable text: the parser's message plus a suggestion for Chinese prose."""
    message = f"invalid opening_hours expression {text!r}: {parser_message}"
    suggestion = suggest_from_prose(text)
    if suggestion:
        message += f"\nDid you mean {suggestion!r}?"
    return InvalidHours(message, log_detail=message)


def parse_hours(text: str) -> Hours:
    """Validate an OpenStreetMap opening_hours expression; `InvalidHours` (with a prose hint) if bad."""
    stripped = text.strip()
    if not stripped:
        raise InvalidHours("opening hours are empty; use opening_hours syntax, e.g. 'Mo-Fr 08:00-18:00'")
    try:
        warnings = tuple(compile_expression(stripped).warnings)
    except InvalidHours as exc:
        raise _rejection(stripped, exc.message) from exc
    normalised = _normalise(stripped)
    if not is_rewritable(normalised):
        raise InvalidHours(f"opening_hours {stripped!r} uses a day rule this service cannot evaluate")
    return Hours(text=normalised, warnings=warnings)


def is_unknown(text: str | None) -> bool:
    """True for hours stored as unknown (`unknown`, or the parser's spelling of it, `24/7 unknown`)."""
    return text is not None and " ".join(text.split()).casefold() in _UNKNOWN_SPELLINGS
