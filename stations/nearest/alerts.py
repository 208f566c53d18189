"""Weather alerts on the nearest lookup: during an alert, stations that fit it come first and alert hours count.

While an alert is in force at the asked time over a station's region:
- a station that declared an alert mode for the alert's type at or below its level is open in those hours too
  (`alert.reason`: 高温延长开放 when only they open it);
- a station that fits (the alert's needs, e.g. air conditioning and drinking water for heat, among its amenities
  or its mode's offers) ranks by its true distance, every other station by its distance plus `PENALTY_M`:
  a fitting station up to `PENALTY_M` metres farther comes first. Without an alert in force the ranking is the
  plain exact one, untouched.

No lookup queries for this: `AlertCache` keeps the alerts not yet over and the stations of their areas that could
fit or declared a mode (rows as the nearest statement returns them): the alerts reloaded at most every `seconds`,
the stations when the alerts changed or every `STATIONS_SECONDS`; a lookup ranks them from memory against its own
exact results. Exact: a station that is not in the alert cache keeps its plain distance, so any of them in the final
list is among the plain nearest `limit`; every fitting or extended station is in the cache and is measured (Karney's
geodesic, as PostGIS) within the last result's distance plus the penalty.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import orjson

from stations import divisions
from stations.db.alert_queries import ACTIVE, ALERT_STATIONS
from stations.geo.geodesy import circle_box
from stations.weather import NEEDS, AlertType, Level, at_least, words

PENALTY_M = 500.0
"""How much farther a fitting station may be and still come before one that does not fit."""
CELL_DEG = 0.1
MAX_STATIONS = 200_000
LOOKBACK = timedelta(days=14)
STATIONS_SECONDS = 300.0
"""How long the stations of unchanged alerts are reused (their amenities and modes change rarely)."""


@dataclass(frozen=True, slots=True)
class InForce:
    """An alert as the lookup uses it: type, level, area prefixes and time."""

    id: int
    alert_type: AlertType
    level: Level
    prefixes: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime

    def covers(self, adcode: str) -> bool:
        """True if the station's region lies in this alert's area."""
        return any(adcode == p if len(p) == 6 else adcode.startswith(p) for p in self.prefixes)


@dataclass(frozen=True, slots=True)
class Mode:
    """A station's declared alert mode."""

    alert_type: str
    min_level: Level
    hours: str
    offers: frozenset[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A station of an alert's area: its row (the nearest statement's columns), region and modes."""

    row: Any
    adcode: str
    modes: tuple[Mode, ...]


@dataclass(frozen=True, slots=True)
class Note:
    """What an alert does to one result: whether it fits, the mode in force and why it is open."""

    fits: bool
    alert_id: int
    hours: str | None = None
    offers: tuple[str, ...] = ()
    reason: str | None = None

    def properties(self, lang: str) -> dict[str, Any]:
        """The reply's `alert` property."""
        return {"alert_id": self.alert_id, "fits": self.fits, "hours": self.hours, "offers": list(self.offers),
                "extended_hours": self.reason is not None, "reason": self.reason if lang == "zh" else None}


class Snapshot:
    """The alerts not yet over and their candidate stations, as loaded at one moment."""

    def __init__(self, alerts: list[InForce], stations: Iterable[Candidate]) -> None:
        self.alerts = alerts
        self.stations: dict[int, Candidate] = {}
        self.grid: dict[tuple[int, int], list[Candidate]] = {}
        for station in stations:
            self.stations[station.row["id"]] = station
            self.grid.setdefault(_cell(station.row["lon"], station.row["lat"]), []).append(station)

    def in_force(self, at: datetime) -> list[InForce]:
        """The alerts in force at `at`."""
        return [a for a in self.alerts if a.starts_at <= at < a.ends_at]

    def near(self, lon: float, lat: float, metres: float) -> Iterable[Candidate]:
        """Candidates in the grid cells of the box around a circle (a superset of those within `metres`)."""
        west, south, east, north = circle_box(lon, lat, metres)
        (x0, y0), (x1, y1) = _cell(west, south), _cell(east, north)
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                yield from self.grid.get((x, y), ())


EMPTY = Snapshot([], [])


class AlertCache:
    """The alerts on the lookup path, reloaded through the lookup's reads at most every `seconds` (one reload at a
    time); `reset()` forgets them, so the next lookup reloads."""

    def __init__(self, seconds: float = 15.0) -> None:
        self.seconds = seconds
        self._snapshot: Snapshot | None = None
        self._loaded = self._stations_loaded = 0.0
        self._lock = asyncio.Lock()

    def reset(self) -> None:
        """Forget the loaded alerts."""
        self._snapshot = None

    async def snapshot(self, reads: Any, at: datetime) -> Snapshot:
        """The loaded alerts, reloaded first when older than `seconds`."""
        if self._snapshot is not None and time.monotonic() - self._loaded < self.seconds:
            return self._snapshot
        async with self._lock:
            now = time.monotonic()
            if self._snapshot is None or now - self._loaded >= self.seconds:
                snapshot = await _load(reads, at - LOOKBACK, self._snapshot, now - self._stations_loaded)
                if snapshot is not self._snapshot:
                    self._stations_loaded = now
                self._snapshot, self._loaded = snapshot, now
            return self._snapshot


async def _load(reads: Any, since: datetime, previous: Snapshot | None, stations_age: float) -> Snapshot:
    """The alerts not over at `since`; their stations are read again only when the alerts changed or the stations
    read before are older than `STATIONS_SECONDS` (a province's stations are not re-read every few seconds)."""
    rows = await reads.fetch(ACTIVE, since)
    if not rows:
        return EMPTY
    alerts = [InForce(r["id"], AlertType(r["alert_type"]), Level(r["level"]),
                      tuple(divisions.region_prefix(code) for code in r["areas"]), r["starts_at"], r["ends_at"])
              for r in rows]
    if previous is not None and previous.alerts == alerts and stations_age < STATIONS_SECONDS:
        return previous
    patterns = sorted({p if len(p) == 6 else p + "%" for a in alerts for p in a.prefixes})
    needs = [sorted(NEEDS[t]) for t in sorted({a.alert_type for a in alerts}) if NEEDS[t]] or [["-"]]
    found = await reads.fetch(ALERT_STATIONS, patterns, needs[0], needs[-1], MAX_STATIONS)
    return Snapshot(alerts, (Candidate(r, r["adcode"], _modes(r["modes"])) for r in found))


def _modes(raw: Any) -> tuple[Mode, ...]:
    items = orjson.loads(raw) if isinstance(raw, (str, bytes)) else raw
    return tuple(Mode(t, Level(level), hours, frozenset(offers or ())) for t, level, hours, offers in items)


def _cell(lon: float, lat: float) -> tuple[int, int]:
    return int(lon // CELL_DEG), int(lat // CELL_DEG)


def note_for(station: Candidate | None, alerts: list[InForce]) -> tuple[Note | None, Mode | None, InForce | None]:
    """How the alerts in force touch a station: its note (None: not at all), the mode in force and its alert."""
    if station is None:
        return None, None, None
    note: Note | None = None
    for alert in alerts:
        if not alert.covers(station.adcode):
            continue
        mode = next((m for m in station.modes if m.alert_type == alert.alert_type.value
                     and at_least(alert.level, m.min_level)), None)
        needs = NEEDS[alert.alert_type]
        have = set(station.row["amenities"]) | (mode.offers if mode else frozenset())
        fits = bool(needs) and all(n in have for n in needs)
        note = Note(fits=fits, alert_id=alert.id, hours=mode.hours if mode else None,
                    offers=tuple(sorted(mode.offers)) if mode else ())
        if mode is not None or fits:
            return note, mode, alert
    return note, None, None


def reason(alert: InForce) -> str:
    """Why a station is open in its alert hours: 高温延长开放."""
    return words(alert.alert_type, alert.level).reason


def with_reason(note: Note, why: str) -> Note:
    """The note saying the alert hours opened the station."""
    return replace(note, reason=why)
