"""A nearest lookup as the search takes it: validated, in WGS-84, with the limits every lookup keeps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from stations.errors import InvalidInput
from stations.geo.crs import Crs, to_wgs84
from stations.geo.validation import validate_lonlat
from stations.hours import SHANGHAI, HolidayCalendar, package_calendar
from stations.nearest.alerts import Note
from stations.nearest.opening import Opening
from stations.reference import AMENITIES, Kind, all_amenity_codes

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
MAX_RADIUS_M = 200_000.0
MAX_CANDIDATES = 3_200
"""Over-fetch ceiling when filtering by opening or grouping by site."""


class Row(Protocol):
    """A result row read by column name (an asyncpg Record)."""

    def __getitem__(self, key: str, /) -> Any: ...


@dataclass(frozen=True)
class NearestQuery:
    """A validated lookup in WGS-84."""

    lon: float
    lat: float
    at: datetime
    kinds: tuple[Kind, ...] = ()
    amenities: tuple[str, ...] = ()
    open_only: bool = False
    radius_m: float | None = None
    limit: int = DEFAULT_LIMIT
    group_by_site: bool = False
    calendar: HolidayCalendar = field(default_factory=package_calendar)
    """The holiday calendar `at` is judged by: the registry's in the app."""
    fits_alert: bool = False
    """Only stations fitting a weather alert in force (issue 24; `nearest.alerts`)."""


@dataclass(slots=True)
class Nearby:
    """One result: the station's row, its distance in metres and its opening at the asked time."""

    row: Row
    distance_m: float
    opening: Opening
    colocated: list[Row] = field(default_factory=list)
    alert: Note | None = None
    """What a weather alert in force does to this result (issue 24)."""


def make_query(
    *, lon: float, lat: float, crs: Crs, at: datetime, kinds: Sequence[Kind] = (), amenities: Sequence[str] = (),
    open_only: bool = False, radius_m: float | None = None, limit: int = DEFAULT_LIMIT, group_by_site: bool = False,
    calendar: HolidayCalendar | None = None, fits_alert: bool = False,
) -> NearestQuery:
    """Validate raw inputs (coordinates in `crs`, amenity codes or labels, bounds) into a NearestQuery."""
    lon, lat = validate_lonlat(lon, lat, crs=crs)
    wlon, wlat = to_wgs84(lon, lat, crs)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, got {limit}")
    if radius_m is not None and not 1 <= radius_m <= MAX_RADIUS_M:
        raise InvalidInput(f"radius_m must be between 1 and {MAX_RADIUS_M:.0f} metres, got {radius_m}")
    at = at if at.tzinfo else at.replace(tzinfo=SHANGHAI)
    return NearestQuery(
        lon=wlon, lat=wlat, at=at,
        kinds=tuple(dict.fromkeys(kinds)), amenities=amenity_codes(amenities),
        open_only=open_only, radius_m=radius_m, limit=limit, group_by_site=group_by_site,
        calendar=calendar or package_calendar(), fits_alert=fits_alert,
    )


def amenity_codes(given: Sequence[str]) -> tuple[str, ...]:
    """Codes for amenity codes or Chinese/English labels; InvalidInput lists the valid codes."""
    labels = _amenity_labels()
    codes = []
    for item in given:
        code = item if item in all_amenity_codes() else labels.get(item) or labels.get(item.casefold())
        if code is None:
            raise InvalidInput(f"unknown amenity {item!r}; valid amenities: {', '.join(sorted(all_amenity_codes()))}")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


@cache
def _amenity_labels() -> dict[str, str]:
    """Amenity code by Chinese label and by case-folded English label (reference data, built once)."""
    labels = {t.zh: t.code for terms in AMENITIES.values() for t in terms}
    return labels | {t.en.casefold(): t.code for terms in AMENITIES.values() for t in terms}
