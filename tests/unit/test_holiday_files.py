"""Reading a year's holiday schedule: holiday-cn JSON and plain CSV, and every rule a real notice keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stations.hours import DayKind
from stations.services.holidays import read_schedule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "holidays"
SYNTHETIC = (FIXTURES / "2027-synthetic.json").read_bytes()
LAW_DAYS = [("2027-01-01", True, "元旦"), ("2027-05-01", True, "劳动节"), ("2027-05-02", True, "劳动节"),
            ("2027-10-01", True, "国庆节"), ("2027-10-02", True, "国庆节"), ("2027-10-03", True, "国庆节")]


def holiday_cn(days: list[tuple[str, bool, str]], *, year: int = 2027, papers: list[str] | None = None) -> bytes:
    """A holiday-cn file for `year` with these (date, isOffDay, name) days."""
    listed = [{"name": name, "date": day, "isOffDay": off} for day, off, name in days]
    return json.dumps({"year": year, "papers": papers or ["https://example.invalid/notice"], "days": listed}).encode()


def test_the_synthetic_2027_file_reads_as_its_breaks_and_make_up_days() -> None:
    schedule = read_schedule(SYNTHETIC, "2027.json")
    assert schedule.ok, schedule.errors
    assert (schedule.year, len(schedule.days), schedule.source) == (2027, 34, "holiday-cn 2027.json")
    spring = next(b for b in schedule.blocks() if b["name"] == "春节" and b["kind"] == "holiday")
    assert (spring["first"], spring["last"], spring["days"]) == ("2027-02-05", "2027-02-12", 8)
    makeup = [b["first"] for b in schedule.blocks() if b["kind"] == "makeup_workday"]
    assert makeup == ["2027-01-31", "2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09"]


def test_the_csv_form_of_the_same_schedule_reads_the_same() -> None:
    from_csv = read_schedule((FIXTURES / "2027-synthetic.csv").read_bytes(), "2027.csv")
    assert from_csv.ok, from_csv.errors
    assert from_csv.year == 2027
    assert sorted(from_csv.days, key=lambda d: d.day) == sorted(read_schedule(SYNTHETIC, "x.json").days,
                                                                key=lambda d: d.day)


def test_a_csv_in_gb18030_with_chinese_kinds_reads() -> None:
    text = "日期,类型,名称\n" + "\n".join(f"{d},{'放假' if off else '上班'},{n}" for d, off, n in LAW_DAYS)
    schedule = read_schedule(text.encode("gb18030"), "2027.csv")
    assert schedule.ok, schedule.errors
    assert {d.kind for d in schedule.days} == {DayKind.HOLIDAY}


def test_an_empty_file_means_not_published_and_loads_nothing() -> None:
    schedule = read_schedule((FIXTURES / "2027-not-published.json").read_bytes(), "2027.json")
    assert not schedule.ok
    assert schedule.errors == [schedule.errors[0]] and "尚未发布" in schedule.errors[0]
    assert "仍按常规推算" in schedule.errors[0]


def test_papers_without_days_is_a_broken_file_not_a_year_without_holidays() -> None:
    schedule = read_schedule(holiday_cn([], papers=["https://example.invalid/notice"]), "2027.json")
    assert not schedule.ok and "没有任何日期" in schedule.errors[0]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([("2027-03-03", False, "春节")], "2027-03-03 是周三，不能是调休上班日"),
        ([("2027-02-05", True, "")], "放假日缺少节日名称"),
        ([("2027-02-05", True, "春节"), ("2027-02-05", False, "春节")], "2027-02-05 同时被列为放假和上班"),
        ([("2029-06-01", True, "儿童节")], "2029-06-01 不在 2027 年内"),
        ([("2027-13-01", True, "春节")], "日期 '2027-13-01' 应写成"),
    ],
)
def test_each_rule_of_a_real_notice_is_checked(extra: list[tuple[str, bool, str]], message: str) -> None:
    schedule = read_schedule(holiday_cn(LAW_DAYS + extra), "2027.json")
    assert not schedule.ok
    assert any(message in error for error in schedule.errors), schedule.errors


def test_a_day_in_the_neighbouring_year_is_accepted_with_a_note() -> None:
    schedule = read_schedule(holiday_cn([*LAW_DAYS, ("2026-12-31", True, "元旦")]), "2027.json")
    assert schedule.ok, schedule.errors
    assert any("2026-12-31" in w and "相邻年份" in w for w in schedule.warnings)


def test_a_file_without_the_laws_fixed_days_is_incomplete() -> None:
    schedule = read_schedule(holiday_cn(LAW_DAYS[1:]), "2027.json")
    assert any("2027-01-01（元旦）" in e and "必然放假" in e for e in schedule.errors)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00garbage", "不是 UTF-8 或 GB18030"),
        (b'{"year": "2027", "days": []}', "没有整数 year"),
        (b'{"year": 2027, "days": [1, 2]', "JSON 格式有误"),
        (b'{"year": 2027, "papers": [], "days": [{"date": "2027-01-01"}]}', "isOffDay"),
        (b"x" * (300 * 1024), "超过 256 KB"),
    ],
)
def test_files_that_are_not_schedules_are_refused_in_chinese(content: bytes, message: str) -> None:
    schedule = read_schedule(content, "upload")
    assert not schedule.ok and any(message in e for e in schedule.errors), schedule.errors


def test_a_csv_year_must_match_the_year_asked_for() -> None:
    text = "\n".join(f"{d},holiday,{n}" for d, _, n in LAW_DAYS).encode()
    assert read_schedule(text, "a.csv", year=2027).ok
    mismatch = read_schedule(text, "a.csv", year=2028)
    assert any("而要求导入的是 2028 年" in e for e in mismatch.errors)


def test_control_characters_in_names_are_dropped() -> None:
    days: list[Any] = [*LAW_DAYS, ("2027-02-05", True, "春\x00节\x07")]
    schedule = read_schedule(holiday_cn(days), "2027.json")
    assert schedule.ok and any(d.name == "春节" for d in schedule.days)
