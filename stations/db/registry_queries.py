"""Reads of the registry (stations, their changes, region aggregates) that services and pages need."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, text, update
from sqlalchemy.orm import Session, joinedload

from stations.db.models import ProviderListing, Station, StationChange
from stations.db.statements import StatementReads
from stations.db.sync_queries import LIVE_POINT_BY_SIGN, LIVE_PUBLIC
from stations.reference import ListingStatus


def live_station(*, session: Session, station_id: int) -> Station | None:
    """The station with this id unless deleted, its listings loaded in the same statement (a station page's hot path:
    a second statement for the listings was a round trip and 27% of the app's CPU a page, measured in one process)."""
    return session.scalars(
        select(Station).where(Station.id == station_id, Station.deleted_at.is_(None))
        .options(joinedload(Station.listings))
    ).unique().one_or_none()


async def live_public(*, reads: StatementReads, station_id: int) -> Sequence[Mapping[str, Any]]:
    """The station with this id unless deleted, as rows (`PUBLIC_COLUMNS`), one per listing (`listing_*`, by
    provider; one row of NULLs without listings): a station page's read, one prepared statement (`db.statements`)."""
    return await reads(LIVE_PUBLIC, {"id": station_id})


def station_for_update(*, session: Session, station_id: int) -> Station | None:
    """The station with this id (deleted or not), row-locked and freshly read."""
    query = select(Station).where(Station.id == station_id).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one_or_none()


def sign_code_taken(*, session: Session, code: str) -> bool:
    """Whether any station (deleted ones included) carries this sign code."""
    return session.scalar(select(Station.id).where(Station.sign_code == code)) is not None


async def live_point_by_sign_code(*, reads: StatementReads, codes: set[str]) -> Mapping[str, Any] | None:
    """`id`, `lon`, `lat` and `name` of the live station carrying one of these spellings of a sign code: what a
    sign's page needs, without loading the whole station as an object."""
    rows = await reads(LIVE_POINT_BY_SIGN, {"codes": sorted(codes)})
    return rows[0] if rows else None


def live_by_sign_codes(*, session: Session, codes: Sequence[str]) -> dict[str, Station]:
    """Live stations by sign code."""
    found = session.scalars(select(Station).where(Station.sign_code.in_(codes), Station.deleted_at.is_(None)))
    return {s.sign_code: s for s in found}


def live_station_exists(*, session: Session, station_id: int) -> bool:
    """Whether a live station has this id."""
    return session.scalar(select(Station.id).where(Station.id == station_id, Station.deleted_at.is_(None))) is not None


def snapshot(*, session: Session, station_id: int, version: int) -> dict[str, Any] | None:
    """The stored public snapshot of a station at `version`, or None."""
    after = session.scalars(
        select(StationChange.after)
        .where(StationChange.station_id == station_id, StationChange.after.is_not(None))
        .where(StationChange.after["properties"]["version"].as_integer() == version)
        .order_by(StationChange.id.desc()).limit(1)
    ).one_or_none()
    return None if after is None else dict(after)


def changes_of(*, session: Session, station_id: int, limit: int) -> Sequence[StationChange]:
    """A station's changes and those of stations merged into it, newest first."""
    merged = select(Station.id).where(Station.merged_into == station_id)
    return session.scalars(select(StationChange).where(or_(StationChange.station_id == station_id,
                                                           StationChange.station_id.in_(merged)))
                           .order_by(StationChange.id.desc()).limit(limit)).all()


def _live_in(region: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    return (Station.deleted_at.is_(None), Station.adcode.startswith(region, autoescape=True))


def counts_by_kind_status_sign(*, session: Session, region: str) -> list[tuple[str, str, bool, int]]:
    """(kind, status, sign installed, count) of the live stations whose adcode starts with `region`."""
    rows = session.execute(
        select(Station.kind, Station.status, Station.sign_installed, func.count()).where(*_live_in(region))
        .group_by(Station.kind, Station.status, Station.sign_installed))
    return [(str(k), str(s), bool(i), int(n)) for k, s, i, n in rows]


def listed_by_provider(*, session: Session, region: str) -> dict[str, int]:
    """How many live stations in `region` each provider lists."""
    rows = session.execute(
        select(ProviderListing.provider, func.count()).join(Station)
        .where(*_live_in(region), ProviderListing.status == ListingStatus.LISTED).group_by(ProviderListing.provider))
    return {str(p): int(n) for p, n in rows}


def active_hours_counts(*, session: Session, region: str) -> dict[str, int]:
    """Active live stations in `region` by their hours expression."""
    rows = session.execute(select(Station.hours, func.count()).where(*_live_in(region), Station.status == "active")
                           .group_by(Station.hours))
    return {str(h): int(n) for h, n in rows}


def in_region(*, session: Session, prefix: str, kind: str | None = None, limit: int) -> list[Station]:
    """Live stations whose adcode starts with `prefix` (of one kind if given), by sign code, at most `limit`."""
    query = select(Station).where(*_live_in(prefix))
    if kind:
        query = query.where(Station.kind == kind)
    return list(session.scalars(query.order_by(Station.sign_code).limit(limit)))


def search(*, session: Session, prefix: str, text_: str = "", kind: str = "", status: str = "",
           limit: int, worst_first: bool = False) -> tuple[int, list[Station]]:
    """Live stations in `prefix` matching the words (name, address or sign code) and filters: how many, and the
    first `limit` by sign code."""
    query = select(Station).where(*_live_in(prefix))
    if text_.strip():
        like = f"%{text_.strip()}%"
        query = query.where(or_(Station.name.ilike(like), Station.address.ilike(like), Station.sign_code.ilike(like)))
    if kind:
        query = query.where(Station.kind == kind)
    if status:
        query = query.where(Station.status == status)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (Station.quality_score.asc().nulls_first(), Station.sign_code) if worst_first else (Station.sign_code,)
    return int(count), list(session.scalars(query.order_by(*order).limit(limit)))


def station_count(*, session: Session) -> int:
    """How many stations the registry holds (deleted ones included)."""
    return int(session.scalar(select(func.count()).select_from(Station)) or 0)


_READY = text("SELECT postgis_lib_version()")
_SCHEMA = text("SELECT 1 FROM stations LIMIT 1")


def postgis_version(*, session: Session) -> str:
    """PostGIS's version, after checking the registry's table exists (readiness)."""
    version = session.execute(_READY).scalar_one()
    session.execute(_SCHEMA)
    return str(version)


def mark_verified(*, session: Session, station_id: int, today: date) -> None:
    """verified_at = today unless already as recent, without a registry edit: no change record, no version bump
    (a clerk's If-Match stays valid) and updated_at kept (provider feeds do not re-send the station)."""
    table = Station.__table__
    session.execute(
        update(table)  # type: ignore[arg-type]
        .where(table.c.id == station_id, (table.c.verified_at.is_(None)) | (table.c.verified_at < today))
        .values(verified_at=today, updated_at=table.c.updated_at)
    )
