"""Merging a duplicate into the station that survives it.

The survivor keeps its id, sign code and fields (blanks filled from the other, check dates the later of the two,
photos of both); the other's reports, check-ins, photos, inspections and ratings move to it. The other is
withdrawn with `merged_into` set: its own history stays under its id (the survivor's history shows both), its
id, sign code and QR page redirect to the survivor, and the change feed sends a tombstone naming `merged_into`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from stations.db import duplicate_queries as queries
from stations.db import registry_queries
from stations.db.models import ChangeAction, Station
from stations.errors import InvalidInput, NotFound
from stations.services.registry import changes
from stations.services.staff import auth
from stations.services.trust import quality

FILLED = ("phone", "manager_name", "manager_phone", "host_unit", "managing_union", "capacity", "area_m2",
          "self_service_hours", "site_id")
LATEST = ("verified_at", "confirmed_open_at", "hours_checked_on", "location_checked_on", "amenities_checked_on",
          "access_checked_on")
MAX_HOPS = 10


def _locked(session: Session, ids: tuple[int, int], scope: str) -> dict[int, Station]:
    found = {}
    for station_id in sorted(ids):  # one lock order, so two merges of the same pair cannot deadlock
        station = registry_queries.station_for_update(session=session, station_id=station_id)
        if station is None or station.deleted_at is not None:
            raise NotFound(f"no live station with id {station_id}")
        auth.ensure_in_scope(scope, station.adcode)
        found[station_id] = station
    return found


def merge(*, session: Session, survivor_id: int, other_id: int, actor: str, scope: str, now: datetime,
          reason: str | None = None) -> Station:
    """Merge `other_id` into `survivor_id` (both live, both in the writer's region); the survivor is returned."""
    if survivor_id == other_id:
        raise InvalidInput("choose two different stations to merge")
    stations = _locked(session, (survivor_id, other_id), scope)
    survivor, other = stations[survivor_id], stations[other_id]
    why = f"合并重复站点 #{other.id}（{other.sign_code}）" + (f"：{reason}" if reason else "")
    before = changes.snapshot(survivor)
    for field in FILLED:
        if getattr(survivor, field) is None and getattr(other, field) is not None:
            setattr(survivor, field, getattr(other, field))
    for field in LATEST:
        values = [v for v in (getattr(survivor, field), getattr(other, field)) if v is not None]
        if values and max(values) != getattr(survivor, field):
            setattr(survivor, field, max(values))
    photos = survivor.photos + [p for p in other.photos if p not in survivor.photos]
    if photos != survivor.photos:
        survivor.photos = photos
    queries.move_rows(session=session, other=other.id, survivor=survivor.id)
    other_before = changes.snapshot(other)
    other.deleted_at, other.merged_into = now, survivor.id
    other.deleted_reason = f"与站点 #{survivor.id}（{survivor.sign_code}）重复，已合并" + (
        f"：{reason}" if reason else "")
    session.flush()
    tombstone = changes.record(session=session, station=other, action=ChangeAction.DELETE, actor=actor,
                               reason=other.deleted_reason, before=other_before)
    tombstone.merged_into = survivor.id
    changes.record(session=session, station=survivor, action=ChangeAction.UPDATE, actor=actor, reason=why,
                   before=before)
    session.flush()
    quality.refresh(session=session, now=now, ids=[survivor.id])
    return survivor


def survivor_of(*, session: Session, station: Station | None) -> Station | None:
    """The live station a merged one now lives on (following merges of merges), or None."""
    for _ in range(MAX_HOPS):
        if station is None or station.merged_into is None:
            break
        station = session.get(Station, station.merged_into)
        if station is not None and station.deleted_at is None:
            return station
    return None


def redirect_for_id(*, session: Session, station_id: int) -> int | None:
    """The id a merged station's id now redirects to, or None."""
    survivor = survivor_of(session=session, station=session.get(Station, station_id))
    return survivor.id if survivor else None


def redirect_for_sign(*, session: Session, sign_code: str) -> str | None:
    """The sign code a merged station's sign code (and QR page) now redirects to, or None."""
    code = sign_code.strip()
    station = queries.by_sign_code(session=session, code=code) or queries.by_sign_code(session=session,
                                                                                       code=code.upper())
    survivor = survivor_of(session=session, station=station)
    return survivor.sign_code if survivor else None

