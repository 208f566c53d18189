"""Worker reports: store a problem or an "I was here", look a receipt up, refresh verified_at."""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy.orm import Session

from stations.db import feedback_queries, registry_queries
from stations.db.models import ReportKind, StationReport
from stations.errors import Conflict, NotFound
from stations.geo.crs import to_wgs84
from stations.geo.shapes import point_element
from stations.geo.validation import validate_lonlat
from stations.schemas.report import ReportCreate, ReportPublic

# Crockford's base32 without I, L, O, U: readable aloud and over the phone.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_public_id() -> str:
    """A receipt number like R7K3M9Q2XD: 45 random bits, so receipts cannot be enumerated."""
    return "R" + "".join(secrets.choice(_ALPHABET) for _ in range(9))


def already_sent(*, session: Session, station_id: int, report: ReportCreate,
                 tap_key: str | None) -> StationReport | None:
    """The report stored earlier under this tap key (a phone's resend), or None; Conflict when the key came with
    another station or kind (a key is drawn per tap, so that is a client's bug, not a resend)."""
    row = None if tap_key is None else feedback_queries.by_tap_key(session=session, tap_key=tap_key)
    if row is not None and (row.station_id, row.kind) != (station_id, report.kind):
        raise Conflict("this Idempotency-Key was sent with another report: draw a new key for every tap")
    return row


def create(*, session: Session, station_id: int, report: ReportCreate, today: date,
           tap_key: str | None = None) -> StationReport:
    """Store a report for a live station; an "I was here" also marks the station verified today."""
    if not registry_queries.live_station_exists(session=session, station_id=station_id):
        raise NotFound(f"station {station_id} does not exist (or was removed): reload the map")
    location = None
    if report.location is not None:
        lon, lat = validate_lonlat(report.location.lon, report.location.lat, crs=report.location.crs)
        location = point_element(*to_wgs84(lon, lat, report.location.crs))
    row = StationReport(
        public_id=new_public_id(), station_id=station_id, kind=report.kind, text=report.text, location=location,
        tap_key=tap_key,
    )
    session.add(row)
    if report.kind == ReportKind.WAS_HERE:  # a worker's confirmation, not a registry edit
        registry_queries.mark_verified(session=session, station_id=station_id, today=today)
    session.flush()
    session.refresh(row)
    return row


def get(*, session: Session, public_id: str) -> StationReport:
    """The report with this receipt number, or NotFound."""
    row = feedback_queries.by_receipt(session=session, public_id=public_id.strip().upper())
    if row is None:
        raise NotFound(f"no report with receipt number {public_id!r}: check the number on your receipt")
    return row


def to_public(row: StationReport) -> ReportPublic:
    """The receipt shape of a stored report (never the location itself)."""
    return ReportPublic(
        id=row.public_id, station_id=row.station_id, kind=row.kind, text=row.text, status=row.status,
        location_sent=row.location is not None, created_at=row.created_at, updated_at=row.updated_at,
    )
