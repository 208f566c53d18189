"""The nearest lookup's query string, parsed and validated in one place (by hand: it is the hot path, and FastAPI's
per-parameter validation cost more than the rest of a lookup's Python; see docs/performance.md).

One table (`PARAMETERS`) names every parameter once; the parser, the OpenAPI description and the error that
lists the valid names all read it. Every problem is an `InvalidInput` (422) that says what to send instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl

from stations.errors import InvalidInput
from stations.geo.crs import Crs
from stations.geo.validation import EXAMPLE
from stations.hours import HolidayCalendar
from stations.nearest.query import DEFAULT_LIMIT, MAX_LIMIT, MAX_RADIUS_M, NearestQuery, make_query
from stations.reference import Kind, unknown_kind


@dataclass(frozen=True)
class Parameter:
    """One query parameter: its name, JSON-schema type, whether it repeats, and what it means."""

    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False
    repeats: bool = False


def _enum(values: list[str], default: str | None = None) -> dict[str, Any]:
    return {"type": "string", "enum": values} | ({"default": default} if default else {})


_CRS = [c.value for c in Crs]
PARAMETERS: tuple[Parameter, ...] = (
    Parameter("lon", {"type": "number"}, "longitude in `crs`, decimal degrees", required=True),
    Parameter("lat", {"type": "number"}, "latitude in `crs`, decimal degrees", required=True),
    Parameter("crs", _enum(_CRS, "wgs84"), "coordinate system of lon/lat (GPS: wgs84; Amap, Tencent: gcj02)"),
    Parameter("kind", _enum([k.value for k in Kind]), "station kind; repeat for several", repeats=True),
    Parameter("amenity", {"type": "string"}, "amenity code or label; repeat, all must be present", repeats=True),
    Parameter("open_now", {"type": "boolean", "default": False}, "only stations open now"),
    Parameter("open_at", {"type": "string", "format": "date-time"},
              "only stations open at this ISO datetime; naive means Asia/Shanghai"),
    Parameter("radius_m", {"type": "number", "minimum": 1, "maximum": MAX_RADIUS_M}, "only within this many metres"),
    Parameter("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
              "how many results"),
    Parameter("group", _enum(["station", "site"], "station"), "site: co-located functions as one result"),
    Parameter("lang", _enum(["zh", "en"], "zh"), "language of labels"),
    Parameter("fits_alert", {"type": "boolean", "default": False},
              "only stations fitting a weather alert in force (none when no alert is); docs/alerts.md"),
    Parameter("out_crs", _enum(_CRS, "wgs84"), "coordinate system of the returned geometry"),
)
_BY_NAME = {p.name: p for p in PARAMETERS}
# An unencoded "+08:00" arrives as " 08:00" (a query string's "+" is a space): put the plus back.
_UNENCODED_PLUS = re.compile(r"(?<=\d) (\d\d(?::?\d\d)?)$")
_TRUE, _FALSE = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off"})


@dataclass(frozen=True)
class NearestRequest:
    """A parsed lookup: the validated query plus how to shape the reply."""

    query: NearestQuery
    lang: str
    out_crs: Crs


def openapi_parameters() -> list[dict[str, Any]]:
    """The parameters in OpenAPI form, for the route's documentation."""
    return [{"name": p.name, "in": "query", "required": p.required, "description": p.description,
             "schema": {"type": "array", "items": p.schema} if p.repeats else p.schema} for p in PARAMETERS]


def parse(query_string: str, *, now: datetime, calendar: HolidayCalendar) -> NearestRequest:
    """Validate a raw query string (`lon=..&lat=..`) into a lookup, or raise InvalidInput saying what to fix; `now`
    is the moment a lookup without `open_at` asks about, judged by `calendar`."""
    raw = _collect(query_string)
    open_now, open_at = _boolean(raw, "open_now"), _datetime(raw, "open_at")
    if open_now and open_at is not None:
        raise InvalidInput("give either open_now=true or open_at=<ISO datetime>, not both")
    query = make_query(
        lon=_number(raw, "lon"), lat=_number(raw, "lat"), crs=_crs(raw, "crs"),
        at=open_at or now, kinds=_kinds(raw.get("kind", [])),
        amenities=raw.get("amenity", []), open_only=open_now or open_at is not None,
        radius_m=_number(raw, "radius_m", required=False), limit=_integer(raw, "limit", default=DEFAULT_LIMIT),
        group_by_site=_choice(raw, "group", ("station", "site")) == "site", calendar=calendar,
        fits_alert=_boolean(raw, "fits_alert"),
    )
    return NearestRequest(query=query, lang=_choice(raw, "lang", ("zh", "en")), out_crs=_crs(raw, "out_crs"))


def _collect(query_string: str) -> dict[str, list[str]]:
    """Values by name; unknown names and repeated single-valued names are errors (a typo must not widen a search)."""
    raw: dict[str, list[str]] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=True):
        if name not in _BY_NAME:
            raise InvalidInput(f"unknown parameter {name!r}; the nearest lookup takes: {', '.join(_BY_NAME)}")
        raw.setdefault(name, []).append(value)
    for name, values in raw.items():
        if len(values) > 1 and not _BY_NAME[name].repeats:
            raise InvalidInput(f"{name} is given {len(values)} times; give it once")
    return raw


def _one(raw: dict[str, list[str]], name: str) -> str | None:
    values = raw.get(name)
    return values[0].strip() if values else None


def _number(raw: dict[str, list[str]], name: str, *, required: bool = True) -> Any:
    text = _one(raw, name)
    if not text:
        if required:
            raise InvalidInput(f"{name} is required: give {EXAMPLE}")
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a number, got {text!r}") from None


def _integer(raw: dict[str, list[str]], name: str, *, default: int) -> int:
    text = _one(raw, name)
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, got {text!r}") from None


def _boolean(raw: dict[str, list[str]], name: str) -> bool:
    text = (_one(raw, name) or "false").lower()
    if text not in _TRUE | _FALSE:
        raise InvalidInput(f"{name} must be true or false, got {text!r}")
    return text in _TRUE


def _datetime(raw: dict[str, list[str]], name: str) -> datetime | None:
    text = _one(raw, name)
    if not text:
        return None
    try:
        return datetime.fromisoformat(_UNENCODED_PLUS.sub(r"+\1", text))
    except ValueError:
        raise InvalidInput(f"{name} must be an ISO datetime such as 2026-05-01T08:30 (Beijing time), "
                           f"got {text!r}") from None


def _choice(raw: dict[str, list[str]], name: str, allowed: tuple[str, ...]) -> str:
    text = _one(raw, name) or allowed[0]
    if text not in allowed:
        raise InvalidInput(f"{name} must be one of {', '.join(allowed)}, got {text!r}")
    return text


def _crs(raw: dict[str, list[str]], name: str) -> Crs:
    return Crs(_choice(raw, name, tuple(_CRS)))


def _kinds(values: list[str]) -> list[Kind]:
    if problem := unknown_kind(values):
        raise InvalidInput(problem)
    return [Kind(value) for value in values]
