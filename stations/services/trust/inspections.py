"""Inspections: an inspector's visit against the province's checklist, findings open until fixed, and the star
rating the visit and the record give (by the checklist's rule version, reviewed yearly)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from stations.db import registry_queries
from stations.db import trust_queries as queries
from stations.db.models import ChangeAction, Finding, Inspection, StaffUser, StarRating, Station
from stations.errors import InvalidInput, NotFound
from stations.hours import SHANGHAI
from stations.schemas.trust import ChecklistRules, FindingPublic, InspectionCreate, InspectionPublic, RatingPublic
from stations.services.registry import changes
from stations.services.staff import auth
from stations.services.trust import checklists, quality
from stations.services.trust.rating import Record, rate


def _station(*, session: Session, station_id: int, user: StaffUser) -> Station:
    station = registry_queries.station_for_update(session=session, station_id=station_id)
    if station is None or station.deleted_at is not None:
        raise NotFound(f"no station with id {station_id}")
    auth.ensure_in_scope(auth.inspect_scope(user), station.adcode)
    return station


def _answers(rules: ChecklistRules, data: InspectionCreate) -> None:
    codes = {item.code for item in rules.items}
    unknown = sorted(set(data.answers) - codes)
    missing = [item.label for item in rules.items if item.code not in data.answers]
    if unknown:
        raise InvalidInput(f"检查表 {rules.province}-{rules.version} 没有这些项：{', '.join(unknown)}")
    if missing:
        raise InvalidInput("请逐项填写（合格 / 不合格 / 不适用）：" + "；".join(missing))


def _visited(data: InspectionCreate, today: date) -> date:
    visited = data.visited_on or today
    if visited > today or visited < today - timedelta(days=366):
        raise InvalidInput(f"到访日期 {visited} 不对：应在过去一年内，且不晚于今天 {today}")
    return visited


def record(*, session: Session, station_id: int, data: InspectionCreate, user: StaffUser,
           now: datetime) -> Inspection:
    """Store a visit, open a finding per failed item, refresh what it confirms, and rate the station."""
    station = _station(session=session, station_id=station_id, user=user)
    checklist, rules = checklists.for_station(session=session, adcode=station.adcode)
    _answers(rules, data)
    today = now.astimezone(SHANGHAI).date()
    visited = _visited(data, today)
    inspection = Inspection(station_id=station.id, inspector=user.username, checklist_province=checklist.province,
                            checklist_version=checklist.version, visited_on=visited, answers=dict(data.answers),
                            open_at_visit=data.open_at_visit, note=data.note)
    session.add(inspection)
    session.flush()
    for item in rules.items:
        if data.answers[item.code] == "fail":
            note = (data.notes.get(item.code) or "").strip()[:500] or None
            session.add(Finding(station_id=station.id, inspection_id=inspection.id, item_code=item.code, note=note))
    confirmed: dict[str, object] = {"verified_at": visited}
    confirmed |= {f"{item.fact}_checked_on": visited for item in rules.items
                  if item.fact and data.answers[item.code] == "pass"}
    if data.open_at_visit and visited == today:
        confirmed["confirmed_open_at"] = now
    session.flush()
    facts_and_rating(session=session, station=station, inspection=inspection, rules=rules, confirmed=confirmed,
                     actor=user.username, now=now)
    return inspection


def facts_and_rating(*, session: Session, station: Station, inspection: Inspection, rules: ChecklistRules,
                     confirmed: dict[str, object], actor: str, now: datetime) -> StarRating:
    """Apply what the visit confirmed, rate the station, and refresh its quality score."""
    queries.stamp(session=session, station_id=station.id, values=confirmed)
    session.refresh(station)
    rating = _rate(session=session, station=station, inspection=inspection, rules=rules, actor=actor, now=now)
    quality.refresh(session=session, now=now, ids=[station.id])
    return rating


def _days_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else (now - moment).total_seconds() / 86400


def _rate(*, session: Session, station: Station, inspection: Inspection, rules: ChecklistRules, actor: str,
          now: datetime) -> StarRating:
    p = rules.penalties
    record_ = Record(
        area_m2=float(station.area_m2) if station.area_m2 is not None else None, capacity=station.capacity,
        amenities=frozenset(station.amenities),
        closed_checkins=queries.closed_during_hours(session=session, station_id=station.id,
                                                    since=now - timedelta(days=p.closed_checkins_days)),
        oldest_open_finding_days=_days_since(queries.oldest_open_finding(session=session, station_id=station.id),
                                             now),
        oldest_open_report_days=_days_since(queries.oldest_open_report(session=session, station_id=station.id), now),
    )
    stars, reasons = rate(rules, inspection.answers, record_)
    rating = StarRating(station_id=station.id, stars=stars, rule_province=rules.province, rule_version=rules.version,
                        inspection_id=inspection.id, rated_on=inspection.visited_on,
                        valid_until=inspection.visited_on + timedelta(days=rules.valid_days), reasons=reasons,
                        rated_by=actor)
    session.add(rating)
    version = f"{rules.province}-{rules.version}"
    if (station.star_rating, station.star_rule_version, station.star_rated_on) != (stars, version, rating.rated_on):
        before = changes.snapshot(station)
        station.star_rating, station.star_rule_version, station.star_rated_on = stars, version, rating.rated_on
        session.flush()
        changes.record(session=session, station=station, action=ChangeAction.UPDATE, actor=actor, before=before,
                       reason=f"星级评定：{stars} 星（规则 {version}，巡查 #{inspection.id}）")
    session.flush()
    return rating


def fix(*, session: Session, finding_id: int, note: str, user: StaffUser, now: datetime) -> Finding:
    """Record that a finding was fixed (once), by whom and how; the station's score is refreshed."""
    finding = session.get(Finding, finding_id, with_for_update=True)
    station = session.get(Station, finding.station_id) if finding else None
    if finding is None or station is None or station.deleted_at is not None:
        raise NotFound(f"no finding {finding_id}")
    auth.ensure_in_scope(auth.inspect_scope(user), station.adcode, what="the station of this finding")
    if finding.fixed_at is not None:
        raise InvalidInput(f"finding {finding_id} was already recorded fixed on {finding.fixed_at:%Y-%m-%d}")
    finding.fixed_at, finding.fixed_by, finding.fix_note = now, user.username, note.strip()
    session.flush()
    quality.refresh(session=session, now=now, ids=[station.id])
    return finding


def expire_ratings(*, session: Session, today: date) -> int:
    """Take down ratings not reviewed within their rule's validity (a year by default): a registry change each."""
    expired = queries.expired_ratings(session=session, today=today)
    for station_id in expired:
        station = registry_queries.station_for_update(session=session, station_id=station_id)
        assert station is not None
        before = changes.snapshot(station)
        station.star_rating, station.star_rule_version = None, None
        session.flush()
        changes.record(session=session, station=station, action=ChangeAction.UPDATE, actor="system", before=before,
                       reason="星级评定超过有效期未复评，暂不显示星级")
    return len(expired)


def finding_public(finding: Finding) -> FindingPublic:
    """A finding as the API shows it, with the days it took to fix."""
    days = None if finding.fixed_at is None else round((finding.fixed_at - finding.opened_at).total_seconds() / 86400,
                                                        1)
    return FindingPublic(id=finding.id, station_id=finding.station_id, inspection_id=finding.inspection_id,
                         item_code=finding.item_code, note=finding.note, opened_at=finding.opened_at,
                         fixed_at=finding.fixed_at, fixed_by=finding.fixed_by, fix_note=finding.fix_note,
                         days_to_fix=days)


def rating_public(rating: StarRating | None) -> RatingPublic | None:
    """A rating as the API shows it."""
    if rating is None:
        return None
    return RatingPublic(stars=rating.stars, rule_version=f"{rating.rule_province}-{rating.rule_version}",
                        rated_on=rating.rated_on, valid_until=rating.valid_until, reasons=list(rating.reasons),
                        inspection_id=rating.inspection_id)


def public(*, session: Session, inspection: Inspection) -> InspectionPublic:
    """An inspection with its findings and the rating it gave."""
    findings = [f for f in queries.findings_of(session=session, station_id=inspection.station_id)
                if f.inspection_id == inspection.id]
    rating = queries.latest_rating(session=session, station_id=inspection.station_id)
    return InspectionPublic(
        id=inspection.id, station_id=inspection.station_id, inspector=inspection.inspector,
        checklist=f"{inspection.checklist_province}-{inspection.checklist_version}",
        visited_on=inspection.visited_on, answers=dict(inspection.answers), open_at_visit=inspection.open_at_visit,
        note=inspection.note, findings=[finding_public(f) for f in findings],
        rating=rating_public(rating if rating and rating.inspection_id == inspection.id else None))

