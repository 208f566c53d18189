"""A year's holiday schedule from a file: holiday-cn JSON or a plain `date,kind,name` CSV, read and checked.

Every problem is a sentence in Chinese (the people who load the State Council's notice are union staff) that
names the date or the line; nothing here touches the registry.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stations.hours.calendar import LAW_FIXED, LAW_FIXED_SINCE, DayKind, OfficialDay

MAX_BYTES = 256 * 1024
MAX_DAYS = 500
NEIGHBOUR_DAYS = 31
"""A schedule may list days this close to its year's edges (holiday-cn: a bridge or make-up day can fall in the
neighbouring year, e.g. a New Year break starting on 31 December)."""
_KINDS = {
    "holiday": DayKind.HOLIDAY, "休": DayKind.HOLIDAY, "放假": DayKind.HOLIDAY, "假日": DayKind.HOLIDAY,
    "makeup_workday": DayKind.MAKEUP_WORKDAY, "班": DayKind.MAKEUP_WORKDAY, "上班": DayKind.MAKEUP_WORKDAY,
    "补班": DayKind.MAKEUP_WORKDAY, "调休上班": DayKind.MAKEUP_WORKDAY,
}
_KIND_WORDS = {DayKind.HOLIDAY: "放假", DayKind.MAKEUP_WORKDAY: "调休上班"}
MAKEUP_NAME = "调休上班"


@dataclass
class CheckedSchedule:
    """A year's schedule as read from a file, with what is wrong (`errors` refuse it) and worth a look."""

    year: int
    source: str
    papers: list[str] = field(default_factory=list)
    days: list[OfficialDay] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No error: the schedule may be applied."""
        return not self.errors

    def blocks(self) -> list[dict[str, Any]]:
        """Holiday breaks (consecutive days off with one name) and make-up workdays, in date order."""
        out: list[dict[str, Any]] = []
        for d in sorted(self.days, key=lambda d: d.day):
            last = out[-1] if out else None
            if (last and d.kind is DayKind.HOLIDAY and last["kind"] == "holiday" and last["name"] == d.name
                    and date.fromisoformat(last["last"]) + timedelta(days=1) == d.day):
                last["last"], last["days"] = d.day.isoformat(), last["days"] + 1
                continue
            out.append({"kind": d.kind.value, "name": d.name, "first": d.day.isoformat(), "last": d.day.isoformat(),
                        "days": 1})
        return out


def read_schedule(content: bytes, filename: str, *, year: int | None = None) -> CheckedSchedule:
    """Read and check a schedule file (holiday-cn `{year}.json`, or CSV `date,kind,name`); `year` is needed only
    for a CSV whose holidays do not make the year plain."""
    if len(content) > MAX_BYTES:
        return _refused(year, filename, f"文件超过 {MAX_BYTES // 1024} KB，不像一年的节假日安排")
    text = _decode(content)
    if text is None:
        return _refused(year, filename, "文件不是 UTF-8 或 GB18030 文本：请上传 holiday-cn 的 JSON 或 CSV 文件")
    schedule = _from_json(text, filename) if text.lstrip().startswith("{") else _from_csv(text, filename, year)
    if year is not None and schedule.year != year:
        schedule.errors.append(f"文件是 {schedule.year} 年的安排，而要求导入的是 {year} 年")
    if not schedule.errors:
        _check(schedule)
    return schedule


def _refused(year: int | None, filename: str, reason: str) -> CheckedSchedule:
    return CheckedSchedule(year=year or 0, source=filename, errors=[reason])


def _decode(content: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _from_json(text: str, filename: str) -> CheckedSchedule:
    """holiday-cn's format: `{"year": 2027, "papers": [urls], "days": [{"name", "date", "isOffDay"}]}`."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", "?")
        return _refused(None, filename, f"JSON 格式有误（第 {line} 行）：请上传 holiday-cn 的原始文件")
    if not isinstance(data, dict) or not isinstance(data.get("year"), int) or isinstance(data.get("year"), bool):
        return _refused(None, filename, "JSON 中没有整数 year 字段：这不是 holiday-cn 的年度文件")
    schedule = CheckedSchedule(year=data["year"], source=f"holiday-cn {filename}")
    papers, days = data.get("papers", []), data.get("days")
    if not isinstance(papers, list) or not all(isinstance(p, str) for p in papers):
        schedule.errors.append("papers 应是通知网址的列表")
        return schedule
    schedule.papers = [_clean(p)[:500] for p in papers]
    if not isinstance(days, list):
        schedule.errors.append("JSON 中没有 days 列表")
        return schedule
    if not days:
        schedule.errors.append(
            f"{schedule.year} 年的节假日安排尚未发布（文件中 days 为空）：没有导入任何内容，该年仍按常规推算；"
            "国务院通知发布、holiday-cn 更新后再导入" if not schedule.papers else
            "文件列出了通知（papers）却没有任何日期（days 为空）：请换一个完整的文件")
        return schedule
    for number, item in enumerate(days[:MAX_DAYS + 1], start=1):
        where = f"days 第 {number} 项"
        if not isinstance(item, dict) or not isinstance(item.get("isOffDay"), bool):
            schedule.errors.append(f"{where}：应为 {{\"name\", \"date\", \"isOffDay\": true/false}}")
            continue
        kind = DayKind.HOLIDAY if item["isOffDay"] else DayKind.MAKEUP_WORKDAY
        _add_day(schedule, where, item.get("date"), kind, item.get("name"))
    return schedule


def _from_csv(text: str, filename: str, year: int | None) -> CheckedSchedule:
    """Lines `date,kind,name` (a header line and `#` comment lines are skipped); kind is holiday/makeup_workday or
    休/班, 放假/上班."""
    schedule = CheckedSchedule(year=year or 0, source=f"CSV {filename}")
    rows = [r for r in csv.reader(io.StringIO(text))
            if any(cell.strip() for cell in r) and not r[0].lstrip().startswith("#")]
    if rows and _date(rows[0][0]) is None and rows[0][0].strip().lower() in ("date", "日期"):
        rows = rows[1:]
    if not rows:
        schedule.errors.append("CSV 中没有日期：每行写 日期,类型,节日名称，如 2027-01-01,holiday,元旦")
        return schedule
    for number, row in enumerate(rows[:MAX_DAYS + 1], start=1):
        cells = [*row, "", ""][:3]
        kind = _KINDS.get(_clean(cells[1]).lower())
        if kind is None:
            schedule.errors.append(
                f"第 {number} 行：类型 {cells[1]!r} 不认识，应为 holiday（放假）或 makeup_workday（调休上班）")
            continue
        _add_day(schedule, f"第 {number} 行", cells[0], kind, cells[2])
    holidays = Counter(d.day.year for d in schedule.days if d.kind is DayKind.HOLIDAY)
    schedule.year = holidays.most_common(1)[0][0] if holidays else year or 0
    if not schedule.year:
        schedule.errors.append("CSV 中没有放假日，无法判断年份：请指定年份")
    return schedule


def _add_day(schedule: CheckedSchedule, where: str, raw_date: Any, kind: DayKind, raw_name: Any) -> None:
    """Append one listed day, or an error naming `where`."""
    if len(schedule.days) >= MAX_DAYS:
        schedule.errors.append(f"日期超过 {MAX_DAYS} 个，不像一年的节假日安排")
        return
    day = _date(raw_date) if isinstance(raw_date, str) else None
    if day is None:
        schedule.errors.append(f"{where}：日期 {raw_date!r} 应写成 2027-01-01 这样的格式")
        return
    name = _clean(raw_name) if isinstance(raw_name, str) else ""
    if len(name) > 64:
        schedule.errors.append(f"{where}（{day}）：节日名称超过 64 个字")
        return
    if not name and kind is DayKind.HOLIDAY:
        schedule.errors.append(f"{where}（{day}）：放假日缺少节日名称")
        return
    schedule.days.append(OfficialDay(day, kind, name or MAKEUP_NAME))


def _date(text: Any) -> date | None:
    try:
        return date.fromisoformat(unicodedata.normalize("NFKC", str(text)).strip())
    except ValueError:
        return None


def _clean(text: str) -> str:
    """NFKC-folded, trimmed, with control characters removed."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return "".join(ch for ch in folded if unicodedata.category(ch) != "Cc")


def _check(schedule: CheckedSchedule) -> None:
    """The rules a real notice keeps; each broken one is an error naming the date."""
    year, seen = schedule.year, dict[date, OfficialDay]()
    if not 1949 < year < 2200:
        schedule.errors.append(f"年份 {year} 不合理")
        return
    first, last = date(year, 1, 1) - timedelta(days=NEIGHBOUR_DAYS), date(year, 12, 31) + timedelta(days=NEIGHBOUR_DAYS)
    for d in schedule.days:
        if not first <= d.day <= last:
            schedule.errors.append(f"{d.day} 不在 {year} 年内（只接受前后一年 {NEIGHBOUR_DAYS} 天内的跨年调休）")
        elif d.day.year != year:
            schedule.warnings.append(
                f"{d.day}（{d.name}，{_KIND_WORDS[d.kind]}）在相邻年份，随 {year} 年的安排一起导入")
        if d.kind is DayKind.MAKEUP_WORKDAY and d.day.weekday() < 5:
            weekday = "一二三四五"[d.day.weekday()]
            schedule.errors.append(f"{d.day} 是周{weekday}，不能是调休上班日：调休上班日只会是周六或周日")
        earlier = seen.setdefault(d.day, d)
        if earlier is not d and earlier.kind is not d.kind:
            schedule.errors.append(f"{d.day} 同时被列为放假和上班")
        elif earlier is not d:
            schedule.warnings.append(f"{d.day} 重复列出，只保留一次")
    schedule.days = list(seen.values())
    _check_law(schedule, seen)


def _check_law(schedule: CheckedSchedule, days: dict[date, OfficialDay]) -> None:
    """The days the holiday law fixes by date must be listed as holidays (a file missing them is incomplete)."""
    if schedule.year < LAW_FIXED_SINCE:
        return
    for month, day_of_month, name in LAW_FIXED:
        day = date(schedule.year, month, day_of_month)
        entry = days.get(day)
        if entry is None or entry.kind is not DayKind.HOLIDAY:
            schedule.errors.append(f"{day}（{name}）按《全国年节及纪念日放假办法》必然放假，文件中却没有列为放假：文件可能不完整")
