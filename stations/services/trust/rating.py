"""Star ratings from a province's rules (data: `ChecklistRules`), the latest inspection's answers and the record.

Pure: `rate` takes everything it judges and says why, in Chinese, so a rating can be explained and re-derived.
A level needs its share of judged items passed and, from the record, its area, capacity and amenities; a failed
critical item caps the stars; riders finding the station closed during posted hours, findings left open and
worker reports left unanswered each take one star away (never below one).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stations.schemas.trust import ChecklistRules, StarLevel


@dataclass(frozen=True)
class Record:
    """What the registry knows besides the inspection."""

    area_m2: float | None = None
    capacity: int | None = None
    amenities: frozenset[str] = field(default_factory=frozenset)
    closed_checkins: int = 0
    oldest_open_finding_days: float | None = None
    oldest_open_report_days: float | None = None


def _missing(level: StarLevel, share: float, record: Record) -> list[str]:
    """What keeps the record from `level` (empty when it is met)."""
    gaps = []
    if share + 1e-9 < level.passed_share:
        gaps.append(f"检查项合格率需 {level.passed_share:.0%}")
    if level.min_area_m2 is not None and (record.area_m2 or 0) < level.min_area_m2:
        gaps.append(f"面积需 {level.min_area_m2:g} m²（登记 {record.area_m2 or 0:g} m²）")
    if level.min_capacity is not None and (record.capacity or 0) < level.min_capacity:
        gaps.append(f"容纳人数需 {level.min_capacity}（登记 {record.capacity or 0}）")
    lacking = [code for code in level.amenities if code not in record.amenities]
    if lacking:
        gaps.append("需配备 " + "、".join(lacking))
    return gaps


def rate(rules: ChecklistRules, answers: dict[str, str], record: Record) -> tuple[int, list[str]]:
    """The stars (1-5) and the reasons, from the rules, one inspection's answers and the record."""
    judged = [item for item in rules.items if answers.get(item.code) in ("pass", "fail")]
    passed = sum(answers[item.code] == "pass" for item in judged)
    share = passed / len(judged) if judged else 0.0
    reasons = [f"检查项合格 {passed}/{len(judged)}（{share:.0%}）"]
    stars, above = 1, None
    for level in sorted(rules.stars, key=lambda lv: -lv.stars):
        gaps = _missing(level, share, record)
        if not gaps:
            stars = level.stars
            break
        above = (level.stars, gaps)
    if above and above[0] == stars + 1:
        reasons.append(f"未达 {above[0]} 星：" + "；".join(above[1]))
    critical = [item.label for item in judged if item.critical and answers[item.code] == "fail"]
    if critical and stars > rules.critical_failed_max_stars:
        stars = rules.critical_failed_max_stars
        reasons.append(f"关键项不合格（{'、'.join(critical)}）：最多 {stars} 星")
    return _penalised(rules, stars, reasons, record)


def _penalised(rules: ChecklistRules, stars: int, reasons: list[str], record: Record) -> tuple[int, list[str]]:
    p = rules.penalties
    if record.closed_checkins >= p.closed_checkins:
        stars -= 1
        reasons.append(f"近 {p.closed_checkins_days} 天 {record.closed_checkins} 人次反映开放时间内没开：减 1 星")
    if record.oldest_open_finding_days is not None and record.oldest_open_finding_days > p.finding_open_days:
        stars -= 1
        reasons.append(f"巡查问题超过 {p.finding_open_days} 天未整改：减 1 星")
    if record.oldest_open_report_days is not None and record.oldest_open_report_days > p.report_open_days:
        stars -= 1
        reasons.append(f"工人报告超过 {p.report_open_days} 天未处理：减 1 星")
    stars = max(1, stars)
    reasons.insert(0, f"{stars} 星（规则 {rules.province}-{rules.version}）")
    return stars, reasons
