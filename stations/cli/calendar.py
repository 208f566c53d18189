"""`stations calendar import FILE` and `stations calendar status`: the official holiday schedule per year."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from stations.cli.common import friendly, session_scope

_STATE = {"official": "官方（chinesecalendar）", "loaded": "已导入", "not_known": "未知：按常规推算"}


@click.group()
def calendar() -> None:
    """The official holiday calendar (statutory holidays and make-up workdays) the opening hours follow."""


def _print_report(report: dict[str, Any]) -> None:
    click.echo(f"{report['year']} 年，{report['source']}：{report['days']} 个日期")
    for block in report["blocks"]:
        span = block["first"] if block["first"] == block["last"] else f"{block['first']} 至 {block['last']}"
        kind = "放假" if block["kind"] == "holiday" else "调休上班"
        click.echo(f"  {span}  {block['name']}  {kind}（{block['days']} 天）")
    if report["replaces"]:
        old = report["replaces"]
        click.echo(f"替换现有安排（{old['source']}，{old['loaded_by']} 于 {old['loaded_at'][:16]} 导入）："
                   f"新增 {len(report['added'])}，删除 {len(report['removed'])}，变更 {len(report['changed'])}")
    for warning in report["warnings"]:
        click.echo(f"提示：{warning}")
    for error in report["errors"]:
        click.echo(f"错误：{error}", err=True)


@calendar.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=click.IntRange(1950, 2199), default=None, help="the year, when a CSV does not say")
@click.option("--apply", "apply_", is_flag=True, help="load it (without: a dry run that writes nothing)")
@click.option("--actor", default="cli", show_default=True, help="who the history records")
@friendly
def import_command(file: Path, year: int | None, apply_: bool, actor: str) -> None:
    """Check FILE (holiday-cn {year}.json, or CSV lines date,kind,name); with --apply, load that year."""
    from stations.services import holidays

    schedule = holidays.read_schedule(file.read_bytes(), file.name, year=year)
    with session_scope() as session:
        holidays.add_package_years(session=session)
        result = holidays.preview(session=session, schedule=schedule)
        _print_report(result.report())
        if not schedule.ok:
            raise SystemExit(1)
        if not apply_:
            click.echo("仅检查，未写入：确认无误后加 --apply 导入")
            return
        holidays.apply(session=session, schedule=schedule, actor=actor)
    click.echo(f"已导入 {schedule.year} 年的节假日安排；运行中的服务在一分钟内使用它")


@calendar.command("status")
@friendly
def status() -> None:
    """Per year: official (chinesecalendar), loaded (by whom, when) or not known."""
    from stations.hours import SHANGHAI
    from stations.services import holidays

    today = datetime.now(SHANGHAI).date()
    with session_scope() as session:
        holidays.add_package_years(session=session)
        years = holidays.year_statuses(session=session, today=today)
        calendar, _ = holidays.load_calendar(session=session)
    for y in years:
        who = f"，{y.loaded_by} 于 {y.loaded_at}" if y.state == "loaded" else ""
        source = f"，{y.source}" if y.source and y.state == "loaded" else ""
        check = f"；{y.package_check}" if y.package_check else ""
        click.echo(f"{y.year}  {_STATE[y.state]}{source}{who}" + (f"（{y.days} 天）" if y.days else "") + check)
    notice = holidays.missing_schedule_notice(calendar, today)
    if notice:
        click.echo(f"注意：{notice}")
