"""SQL of issue 22's trust data: check-ins, the quality score's inputs, per-fact dates, inspections, photos."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import RowMapping, func, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from stations.db.models import Checkin, Checklist, Finding, Inspection, StarRating, Station, StationPhoto, StationReport

FACTS = ("hours", "location", "amenities", "access")
"""Facts with a check date of their own (`<fact>_checked_on` on stations)."""

# The quality score's inputs per live station, keyset-paged by id (:ids NULL = every station). Every count is an
# index probe of the station's own rows (check-ins, photos, findings, reports, inspections).
QUALITY_INPUTS = text(
    """
    SELECT s.id, s.verified_at, s.confirmed_open_at, s.hours_checked_on, s.location_checked_on,
           s.amenities_checked_on, s.access_checked_on, s.quality_score,
           coalesce(s.phone, '') <> '' AS has_phone, cardinality(s.amenities) AS amenities,
           (SELECT max(i.visited_on) FROM inspections i WHERE i.station_id = s.id) AS last_inspection_on,
           (SELECT count(*) FROM station_photos p WHERE p.station_id = s.id AND p.status = 'approved') AS photos,
           (SELECT count(*) FROM station_checkins c WHERE c.station_id = s.id AND c.outcome = 'closed'
              AND c.during_hours AND c.created_at > greatest(s.confirmed_open_at, CAST(:flag_since AS timestamptz))
           ) AS closed_recent,
           (SELECT count(*) FROM station_checkins c WHERE c.station_id = s.id AND c.outcome = 'broken'
              AND c.created_at > CAST(:broken_since AS timestamptz)) AS broken_recent,
           (SELECT count(*) FROM inspection_findings f WHERE f.station_id = s.id AND f.fixed_at IS NULL)
              AS open_findings,
           (SELECT count(*) FROM station_reports r WHERE r.station_id = s.id AND r.kind <> 'was_here'
              AND r.status IN ('received', 'in_progress')) AS open_reports
    FROM stations s
    WHERE s.deleted_at IS NULL AND s.id > :after
      AND (CAST(:ids AS bigint[]) IS NULL OR s.id = ANY(CAST(:ids AS bigint[])))
    ORDER BY s.id
    LIMIT :limit
    """
)

# Scores written only where they changed; neither version nor updated_at moves (a score is not a registry edit).
SET_SCORES = text(
    """
    UPDATE stations AS s SET quality_score = v.score
    FROM unnest(CAST(:ids AS bigint[]), CAST(:scores AS smallint[])) AS v(id, score)
    WHERE s.id = v.id AND s.quality_score IS DISTINCT FROM v.score
    """
)

# Stations several riders found closed during their posted hours since anyone last confirmed them open.
FLAGGED = text(
    """
    SELECT s.id, s.name, s.sign_code, s.adcode, s.hours, count(*) AS closed, max(c.created_at) AS last_at
    FROM station_checkins c JOIN stations s ON s.id = c.station_id
    WHERE s.deleted_at IS NULL AND s.adcode LIKE :region || '%'
      AND c.outcome = 'closed' AND c.during_hours
      AND c.created_at > greatest(s.confirmed_open_at, CAST(:since AS timestamptz))
    GROUP BY s.id
    HAVING count(*) >= :at_least
    ORDER BY count(*) DESC, max(c.created_at) DESC
    LIMIT :limit
    """
)

CLOSED_DURING_HOURS = text(
    """
    SELECT count(*) FROM station_checkins
    WHERE station_id = :station_id AND outcome = 'closed' AND during_hours AND created_at > :since
    """
)

# Verification freshness per child region of :region (:digits = 2 provinces, 4 cities, 6 counties).
FRESHNESS = text(
    """
    SELECT left(adcode, :digits) AS region, count(*) AS total,
           count(*) FILTER (WHERE verified_at >= :since) AS verified,
           round(avg(quality_score)) AS quality,
           count(*) FILTER (WHERE quality_score IS NULL) AS unscored
    FROM stations
    WHERE deleted_at IS NULL AND adcode LIKE :region || '%'
    GROUP BY 1 ORDER BY 1
    """
)


def quality_inputs(*, session: Session, after: int, limit: int, ids: Sequence[int] | None,
                   flag_since: datetime, broken_since: datetime) -> list[RowMapping]:
    """One page of live stations' quality inputs, by id."""
    params = {"after": after, "limit": limit, "ids": list(ids) if ids is not None else None,
              "flag_since": flag_since, "broken_since": broken_since}
    return list(session.execute(QUALITY_INPUTS, params).mappings())


def set_scores(*, session: Session, scores: dict[int, int]) -> int:
    """Write changed scores; how many rows changed."""
    if not scores:
        return 0
    result = session.execute(SET_SCORES, {"ids": list(scores), "scores": list(scores.values())})
    for station_id in scores:
        _expire(session, station_id)
    return int(result.rowcount)  # type: ignore[attr-defined]


def flagged(*, session: Session, region: str, since: datetime, at_least: int, limit: int) -> list[RowMapping]:
    """Stations in `region` with `at_least` closed-during-hours check-ins since `since` and their last open."""
    params = {"region": region, "since": since, "at_least": at_least, "limit": limit}
    return list(session.execute(FLAGGED, params).mappings())


def closed_during_hours(*, session: Session, station_id: int, since: datetime) -> int:
    """How many riders found the station closed during its posted hours since `since`."""
    return int(session.execute(CLOSED_DURING_HOURS, {"station_id": station_id, "since": since}).scalar_one())


def freshness(*, session: Session, region: str, digits: int, since: date) -> list[RowMapping]:
    """Per child region: live stations, verified since `since`, mean quality score, unscored."""
    return list(session.execute(FRESHNESS, {"region": region, "digits": digits, "since": since}).mappings())


def stamp(*, session: Session, station_id: int, values: dict[str, Any]) -> None:
    """Set trust columns (check dates, confirmed_open_at, verified_at) without a registry edit: no version bump, no
    change record, updated_at kept. Dates only move forward."""
    table = Station.__table__
    forward = {key: func.greatest(table.c[key], value) for key, value in values.items()}
    session.execute(update(table).where(table.c.id == station_id)  # type: ignore[arg-type]
                    .values(**forward, updated_at=table.c.updated_at))
    _expire(session, station_id)


def _expire(session: Session, station_id: int) -> None:
    """Forget the session's copy of a station changed by a Core UPDATE (the next read loads it again)."""
    loaded = session.identity_map.get(identity_key(Station, station_id))
    if loaded is not None:
        session.expire(loaded)


def checklist(*, session: Session, province: str, version: int | None = None) -> Checklist | None:
    """A province's checklist: the given version, or its latest."""
    query = select(Checklist).where(Checklist.province == province)
    if version is not None:
        return session.scalars(query.where(Checklist.version == version)).one_or_none()
    return session.scalars(query.order_by(Checklist.version.desc()).limit(1)).one_or_none()


def checklists(*, session: Session) -> list[Checklist]:
    """Every checklist version, by province and version."""
    return list(session.scalars(select(Checklist).order_by(Checklist.province, Checklist.version)))


def inspections_of(*, session: Session, station_id: int, limit: int = 50) -> list[Inspection]:
    """A station's inspections, latest visit first."""
    return list(session.scalars(select(Inspection).where(Inspection.station_id == station_id)
                                .order_by(Inspection.visited_on.desc(), Inspection.id.desc()).limit(limit)))


def findings_of(*, session: Session, station_id: int) -> list[Finding]:
    """A station's findings, open ones first, then the latest."""
    return list(session.scalars(select(Finding).where(Finding.station_id == station_id)
                                .order_by(Finding.fixed_at.is_not(None), Finding.opened_at.desc())))


def open_findings(*, session: Session, region: str, limit: int) -> list[tuple[Finding, Station]]:
    """Open findings on live stations in `region`, oldest first."""
    rows = session.execute(
        select(Finding, Station).join(Station, Station.id == Finding.station_id)
        .where(Finding.fixed_at.is_(None), Station.deleted_at.is_(None),
               Station.adcode.startswith(region, autoescape=True))
        .order_by(Finding.opened_at).limit(limit))
    return [(f, s) for f, s in rows]


def oldest_open_finding(*, session: Session, station_id: int) -> datetime | None:
    """When the station's oldest open finding was opened."""
    return session.scalar(select(func.min(Finding.opened_at))
                          .where(Finding.station_id == station_id, Finding.fixed_at.is_(None)))


def latest_rating(*, session: Session, station_id: int) -> StarRating | None:
    """The station's latest star rating."""
    return session.scalars(select(StarRating).where(StarRating.station_id == station_id)
                           .order_by(StarRating.id.desc()).limit(1)).one_or_none()


def expired_ratings(*, session: Session, today: date) -> list[int]:
    """Live stations showing a rating whose latest rating's validity ended before `today`."""
    latest = (select(StarRating.station_id, func.max(StarRating.valid_until).label("until"))
              .group_by(StarRating.station_id).subquery())
    query = (select(Station.id).join(latest, latest.c.station_id == Station.id)
             .where(Station.deleted_at.is_(None), Station.star_rating.is_not(None), latest.c.until < today))
    return list(session.scalars(query))


def photos_of(*, session: Session, station_id: int, statuses: Sequence[str]) -> list[StationPhoto]:
    """A station's photos in these statuses, oldest first."""
    return list(session.scalars(select(StationPhoto).where(StationPhoto.station_id == station_id,
                                                           StationPhoto.status.in_(statuses))
                                .order_by(StationPhoto.id)))


def photo(*, session: Session, public_id: str) -> StationPhoto | None:
    """The photo with this public id."""
    return session.scalars(select(StationPhoto).where(StationPhoto.public_id == public_id)).one_or_none()


def set_photo_urls(*, session: Session, station_id: int, urls: list[str]) -> None:
    """The station's public photo list, without a registry edit (like `stamp`)."""
    table = Station.__table__
    session.execute(update(table).where(table.c.id == station_id)  # type: ignore[arg-type]
                    .values(photos=urls, updated_at=table.c.updated_at))
    _expire(session, station_id)


def oldest_open_report(*, session: Session, station_id: int) -> datetime | None:
    """When the station's oldest unanswered worker problem report came in."""
    return session.scalar(select(func.min(StationReport.created_at)).where(
        StationReport.station_id == station_id, StationReport.kind != "was_here",
        StationReport.status.in_(("received", "in_progress"))))


def checkin_by_tap_key(*, session: Session, tap_key: str) -> Checkin | None:
    """The check-in a phone sent with this tap key."""
    return session.scalar(select(Checkin).where(Checkin.tap_key == tap_key))
