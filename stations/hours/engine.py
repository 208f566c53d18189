"""The opening-hours-py parser, set up to know no holidays of its own, behind a cache."""

from __future__ import annotations

from functools import lru_cache

import opening_hours
from opening_hours import OpeningHours

from stations.errors import InvalidHours

# The stub does not declare ParserError; fall back to the documented SyntaxError.
_PARSER_ERROR: type[Exception] = getattr(opening_hours, "ParserError", SyntaxError)


@lru_cache(maxsize=2048)
def compile_expression(text: str) -> OpeningHours:
    """Parse `text` knowing no country, timezone or holidays (PH never matches); else `InvalidHours`."""
    try:
        return OpeningHours(text, timezone=None, country=None, auto_country=False, auto_timezone=False)
    except _PARSER_ERROR as exc:
        raise InvalidHours(str(exc).strip(), log_detail=f"opening_hours parser rejected {text!r}") from exc
