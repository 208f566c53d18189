"""Star ratings from the national rules (data/checklists/national-v1.json): levels, critical items, penalties."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stations.errors import InvalidInput
from stations.schemas.trust import ChecklistRules
from stations.services.trust import checklists
from stations.services.trust.rating import Record, rate

FILE = Path(__file__).resolve().parents[2] / "data" / "checklists" / "national-v1.json"
RULES = ChecklistRules.model_validate_json(FILE.read_text(encoding="utf-8"))
ALL_PASS = {item.code: "pass" for item in RULES.items}
BIG = Record(area_m2=36, capacity=24, amenities=frozenset({"aed", "drinking_water"}))


def test_everything_passed_with_room_and_an_aed_is_five_stars() -> None:
    stars, reasons = rate(RULES, ALL_PASS, BIG)
    assert stars == 5 and reasons[0] == "5 星（规则 00-1）"


def test_a_small_station_stops_below_five_and_says_why() -> None:
    stars, reasons = rate(RULES, ALL_PASS, Record(area_m2=25, capacity=24, amenities=frozenset({"aed"})))
    assert stars == 4
    assert any("未达 5 星" in r and "30 m²" in r for r in reasons)


def test_not_open_at_posted_hours_is_critical_and_caps_at_two() -> None:
    stars, reasons = rate(RULES, ALL_PASS | {"hours_kept": "fail"}, BIG)
    assert stars == 2 and any("关键项不合格" in r for r in reasons)


def test_items_not_applicable_do_not_count_against() -> None:
    assert rate(RULES, ALL_PASS | {"on_map": "na", "workers_asked": "na"}, BIG)[0] == 5


@pytest.mark.parametrize(("record", "why"), [
    (Record(**{**vars(BIG), "closed_checkins": 3}), "开放时间内没开"),
    (Record(**{**vars(BIG), "oldest_open_finding_days": 31}), "未整改"),
    (Record(**{**vars(BIG), "oldest_open_report_days": 45}), "未处理"),
])
def test_each_penalty_takes_one_star(record: Record, why: str) -> None:
    stars, reasons = rate(RULES, ALL_PASS, record)
    assert stars == 4 and any(why in r for r in reasons)


def test_never_below_one_star() -> None:
    worst = Record(closed_checkins=9, oldest_open_finding_days=99, oldest_open_report_days=99)
    assert rate(RULES, {code: "fail" for code in ALL_PASS}, worst)[0] == 1


def test_a_checklist_file_is_checked_before_it_is_loaded() -> None:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    assert checklists.parse(json.dumps(data | {"province": "62", "version": 2})).province == "62"
    with pytest.raises(InvalidInput, match="unknown province"):
        checklists.parse(json.dumps(data | {"province": "99"}))
    with pytest.raises(InvalidInput, match="unique"):
        checklists.parse(json.dumps(data | {"items": data["items"] + data["items"][:1]}))
    with pytest.raises(InvalidInput, match="checklist file"):
        checklists.parse(b"{not json")
