"""The ranking during an alert (see `stations.nearest.alerts`): fitting stations first within `PENALTY_M`, alert
hours counted, and `fits_alert` (the map's chip) keeping only the fitting ones; exact results untouched otherwise.
With `group=site`, a cached station whose site is already in the results is not added again (the site's other
functions are not looked up for one that is added)."""

from __future__ import annotations

from stations.errors import InvalidHours
from stations.geo.geodesy import distance_m
from stations.nearest.alerts import PENALTY_M, Candidate, InForce, Mode, Note, Snapshot, note_for, reason, with_reason
from stations.nearest.caches import NearestCaches
from stations.nearest.opening import Opening
from stations.nearest.query import MAX_RADIUS_M, Nearby, NearestQuery


def rank(results: list[Nearby], *, query: NearestQuery, snapshot: Snapshot, caches: NearestCaches) -> list[Nearby]:
    """`results` (the exact plain nearest) re-ranked for the alerts in force at `query.at`; as given when none is."""
    alerts = snapshot.in_force(query.at)
    if not alerts:
        return [] if query.fits_alert else results
    items = [_touch(item, snapshot.stations.get(item.row["id"]), alerts, query, caches) for item in results]
    seen = {item.row["id"] for item in results}
    sites = {item.row["site_id"] for item in results} if query.group_by_site else set()
    bound = _bound(results, query)
    for station in snapshot.near(query.lon, query.lat, bound):
        if station.row["id"] not in seen and (station.row["site_id"] is None or station.row["site_id"] not in sites):
            extra = _extra(station, alerts, query, caches, bound)
            if extra is not None:
                seen.add(station.row["id"])
                items.append(extra)
    if query.fits_alert:
        items = [item for item in items if item.alert is not None and item.alert.fits]
    items.sort(key=_key)
    return items[: query.limit]


def _key(item: Nearby) -> tuple[float, int]:
    fits = item.alert is not None and item.alert.fits
    return item.distance_m + (0.0 if fits else PENALTY_M), item.row["id"]


def _bound(results: list[Nearby], query: NearestQuery) -> float:
    """How far a cached station may be and still make the list: the last plain result plus the penalty (the
    radius, or the widest search, when the plain results did not fill the list or only fitting ones are asked)."""
    widest = query.radius_m if query.radius_m is not None else MAX_RADIUS_M
    if query.fits_alert or len(results) < query.limit:
        return widest
    return min(results[-1].distance_m + PENALTY_M, widest)


def _touch(item: Nearby, station: Candidate | None, alerts: list[InForce], query: NearestQuery,
           caches: NearestCaches) -> Nearby:
    """A plain result with its alert note, open in its alert hours when only they open it."""
    note, mode, alert = note_for(station, alerts)
    if note is None:
        return item
    if mode is not None and alert is not None and not item.opening.open:
        state = _alert_opening(item.row["status"], mode, query, caches)
        if state is not None and state.open:
            item.opening = state
            note = with_reason(note, reason(alert))
    item.alert = note
    return item


def _extra(station: Candidate, alerts: list[InForce], query: NearestQuery, caches: NearestCaches,
           bound: float) -> Nearby | None:
    """A cached station that is not among the plain results but may rank among them: one that fits, or one the
    open filter left out that its alert hours open; None when the lookup's filters leave it out."""
    row = station.row
    if query.kinds and row["kind"] not in {kind.value for kind in query.kinds}:
        return None
    if query.amenities and not set(query.amenities) <= set(row["amenities"]):
        return None
    note, mode, alert = note_for(station, alerts)
    if note is None or (not note.fits and not (query.open_only and mode is not None)):
        return None
    metres = distance_m(query.lon, query.lat, row["lon"], row["lat"])
    if metres > bound:
        return None
    states = caches.states(query.at, query.calendar)
    timetable = (row["status"], row["hours"], row["self_service_hours"])
    state = states.get(timetable) or caches.opening(states, timetable, at=query.at, calendar=query.calendar)
    if mode is not None and alert is not None and not state.open:
        extended = _alert_opening(row["status"], mode, query, caches)
        if extended is not None and extended.open:
            state, note = extended, with_reason(note, reason(alert))
    if query.open_only and not state.open_if_ordinary:
        return None
    return Nearby(row=row, distance_m=metres, opening=state, alert=note)


def _alert_opening(status: str, mode: Mode, query: NearestQuery, caches: NearestCaches) -> Opening | None:
    """The station's opening in its alert hours (None if those hours no longer parse)."""
    states = caches.states(query.at, query.calendar)
    try:
        return caches.opening(states, (status, mode.hours, None), at=query.at, calendar=query.calendar)
    except InvalidHours:
        return None


__all__ = ["Note", "rank"]
