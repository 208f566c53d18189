"""The quality score of a station (0-100): how far a rider can trust what we show. docs/quality.md explains it.

The formula is `score` (pure, on `Inputs`); `refresh` computes it for some or all live stations from one query
and stores it where it changed (no registry edit: a score moves with time and with riders, not with clerks).
Scores decay with time, so `stations quality refresh` runs daily; writes that change an input refresh their
station at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import RowMapping
from sqlalchemy.orm import Session

from stations.db import trust_queries as queries
from stations.hours import SHANGHAI

FLAG_AFTER = 3
"""Closed-during-hours check-ins (since the last confirmation that it was open) that flag a station to staff."""
FLAG_DAYS = 7
"""Only check-ins of the last week count towards the flag."""
BROKEN_DAYS = 30
PAGE = 2000


@dataclass(frozen=True)
class Inputs:
    """What the score looks at."""

    verified_at: date | None = None
    confirmed_open_at: datetime | None = None
    hours_checked_on: date | None = None
    location_checked_on: date | None = None
    amenities_checked_on: date | None = None
    access_checked_on: date | None = None
    last_inspection_on: date | None = None
    photos: int = 0
    has_phone: bool = False
    amenities: int = 0
    closed_recent: int = 0
    broken_recent: int = 0
    open_findings: int = 0
    open_reports: int = 0


@dataclass(frozen=True)
class Part:
    """One term of the score: what it is, the points it gave (negative for a deduction), its most, how to raise."""

    code: str
    label: str
    points: int
    most: int
    how: str


def _age(day: date | None, today: date) -> int | None:
    return None if day is None else (today - day).days


def _within(day: date | None, today: date, days: int) -> bool:
    age = _age(day, today)
    return age is not None and age <= days


def parts(inputs: Inputs, today: date) -> list[Part]:
    """Every term of the score for `inputs` on `today` (Beijing date)."""
    verified_age = _age(inputs.verified_at, today)
    verified = 30 if verified_age is not None and verified_age <= 183 else 15 if _within(
        inputs.verified_at, today, 365) else 0
    opened = inputs.confirmed_open_at.astimezone(SHANGHAI).date() if inputs.confirmed_open_at else None
    confirmed = 15 if _within(opened, today, 30) else 8 if _within(opened, today, 90) else 0
    facts = [inputs.hours_checked_on, inputs.location_checked_on, inputs.amenities_checked_on,
             inputs.access_checked_on]
    checked = 5 * sum(_within(day, today, 365) for day in facts)
    return [
        Part("verified", "最近核实", verified, 30, "半年内核实一次（工人“我到过这里”、处理报告时核实、巡查）"),
        Part("confirmed_open", "有人确认开放", confirmed, 15, "请到站的劳动者点“开着”，或巡查时确认开放"),
        Part("facts_checked", "逐项核对（时间、位置、设施、进门方式）", checked, 20, "一年内逐项核对或巡查"),
        Part("inspected", "一年内巡查", 15 if _within(inputs.last_inspection_on, today, 365) else 0, 15,
             "按本省检查表巡查一次"),
        Part("photos", "照片", 10 if inputs.photos >= 3 else 5 if inputs.photos else 0, 10,
             "上传入口、标识、室内照片（至少 3 张）"),
        Part("details", "联系电话和设施", 5 * bool(inputs.has_phone) + 5 * bool(inputs.amenities), 10,
             "登记联系电话和设施"),
        Part("closed_flag", "多人反映开放时间内没开", -25 if inputs.closed_recent >= FLAG_AFTER else 0, 0,
             "核实开放时间并改正，或确认开放"),
        Part("broken", "近 30 天有人反映设施坏了", -5 * min(inputs.broken_recent, 2), 0, "修好设施后巡查确认"),
        Part("open_findings", "巡查问题未整改", -5 * min(inputs.open_findings, 3), 0, "整改后在巡查页面登记"),
        Part("open_reports", "工人报告未处理", -5 * min(inputs.open_reports, 3), 0, "处理报告并写明结果"),
    ]


def score(inputs: Inputs, today: date) -> int:
    """The score: the sum of the parts, kept within 0-100."""
    return max(0, min(100, sum(part.points for part in parts(inputs, today))))


def inputs_of(row: RowMapping | dict[str, Any]) -> Inputs:
    """Inputs from a row of `trust_queries.quality_inputs`."""
    names = Inputs.__dataclass_fields__
    return Inputs(**{key: row[key] for key in names})


def _since(now: datetime) -> dict[str, datetime]:
    return {"flag_since": now - timedelta(days=FLAG_DAYS), "broken_since": now - timedelta(days=BROKEN_DAYS)}


def refresh(*, session: Session, now: datetime, ids: Sequence[int] | None = None) -> int:
    """Recompute the score of these live stations (None: all, a page at a time); how many scores changed."""
    today, after, changed = now.astimezone(SHANGHAI).date(), 0, 0
    while True:
        rows = queries.quality_inputs(session=session, after=after, limit=PAGE, ids=ids, **_since(now))
        if not rows:
            return changed
        scores = {int(r["id"]): (score(inputs_of(r), today), r["quality_score"]) for r in rows}
        changed += queries.set_scores(session=session, scores={k: new for k, (new, old) in scores.items()
                                                               if new != old})
        after = int(rows[-1]["id"])


def explain(*, session: Session, station_id: int, now: datetime) -> tuple[int, list[Part]] | None:
    """A live station's score and its parts, as of `now` (None if no such live station)."""
    rows = queries.quality_inputs(session=session, after=0, limit=1, ids=[station_id], **_since(now))
    if not rows:
        return None
    today = now.astimezone(SHANGHAI).date()
    inputs = inputs_of(rows[0])
    return score(inputs, today), parts(inputs, today)
