"""Parsing OGC API - Features item queries: unknown parameters and bad values are 400 (Part 1, 7.15)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from stations.errors import BadRequest
from stations.hours import SHANGHAI
from stations.reference import unknown_kind

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 10
ALLOWED = ("limit", "bbox", "datetime", "kind", "after", "f")


@dataclass(frozen=True)
class ItemsQuery:
    """A validated items request: limit, CRS84 bbox, updated_at interval, kinds, keyset cursor."""

    limit: int = DEFAULT_LIMIT
    bbox: tuple[float, float, float, float] | None = None
    start: datetime | None = None
    end: datetime | None = None
    kinds: list[str] = field(default_factory=list)
    after: int = 0


def parse_items_query(params: dict[str, str]) -> ItemsQuery:
    """Validate query parameters; BadRequest names the parameter and what would be accepted."""
    unknown = sorted(set(params) - set(ALLOWED))
    if unknown:
        raise BadRequest(f"unknown parameter(s) {', '.join(unknown)}; this collection accepts {', '.join(ALLOWED)}")
    if params.get("f", "json") not in ("json", "geojson"):
        raise BadRequest("f must be json or geojson (only GeoJSON is served)")
    start, end = parse_datetime(params["datetime"]) if "datetime" in params else (None, None)
    return ItemsQuery(
        limit=_int(params.get("limit"), name="limit", low=1, high=MAX_LIMIT, default=DEFAULT_LIMIT),
        bbox=parse_bbox(params["bbox"]) if "bbox" in params else None,
        start=start,
        end=end,
        kinds=parse_kinds(params.get("kind", "")),
        after=_int(params.get("after"), name="after", low=0, high=2**63 - 1, default=0),
    )


def _int(value: str | None, *, name: str, low: int, high: int, default: int) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number between {low} and {high}, got {value!r}") from None
    if not low <= number <= high:
        raise BadRequest(f"{name} must be between {low} and {high}, got {number}")
    return number


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """A CRS84 bbox `west,south,east,north` (a 6-number 3D box has its heights ignored)."""
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        raise BadRequest(f"bbox must be 4 numbers west,south,east,north in degrees, got {value!r}") from None
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise BadRequest(f"bbox must be 4 numbers west,south,east,north in degrees, got {value!r}")
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise BadRequest(f"bbox {value!r} is out of range or has south above north (lon -180..180, lat -90..90)")
    if west > east:
        raise BadRequest(f"bbox {value!r} crosses the antimeridian, which no station can; give west <= east")
    return west, south, east, north


def parse_kinds(value: str) -> list[str]:
    """Comma-separated kinds; an unknown one is a 400 listing the valid kinds."""
    kinds = [part.strip() for part in value.split(",") if part.strip()]
    if problem := unknown_kind(kinds):
        raise BadRequest(problem)
    return kinds


def parse_datetime(value: str) -> tuple[datetime | None, datetime | None]:
    """An RFC 3339 instant, date, or interval `start/end` with `..` or empty for an open end."""
    if "/" not in value:
        return _bounds(value)
    first, _, second = value.partition("/")
    if first in ("", "..") and second in ("", ".."):
        raise BadRequest("datetime interval must have at least one bound, e.g. 2026-01-01T00:00:00Z/..")
    start: datetime | None = None if first in ("", "..") else _bounds(first)[0]
    end: datetime | None = None if second in ("", "..") else _bounds(second)[1]
    if start and end and start > end:
        raise BadRequest(f"datetime interval {value!r} ends before it starts")
    return start, end


def _bounds(text: str) -> tuple[datetime, datetime]:
    """The instant itself, or the first and last moment of a date (China time)."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            start = datetime.combine(day, time(), tzinfo=SHANGHAI)
            return start, start + timedelta(days=1) - timedelta(microseconds=1)
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(f"datetime {text!r} is not RFC 3339, e.g. 2026-11-25T08:00:00Z or 2026-11-25") from None
    if instant.tzinfo is None:
        raise BadRequest(f"datetime {text!r} needs a time zone: end it with Z or an offset like +08:00")
    return instant, instant
