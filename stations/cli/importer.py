"""`stations import FILE`: dry run with a per-row report, then apply; progress bars on stderr for every stage.

The report is printed in Chinese (`--lang en` for English): how the file was read, the columns not imported and
why, the notes about the whole file, then every grouped note with its rows, column, problem and suggestion.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from stations.cli.common import friendly, load_settings

_LEVELS = {"zh": {"error": "错误", "warning": "警告", "note": "提示"}, "en": {}}
_SAY = {
    "zh": {"columns": "未导入的列：",
           "summary": "共 {total_rows} 行：{valid} 行可导入，{rejected} 行有错误，{duplicates} 行重复（跳过），"
                      "{empty_rows} 行空行，{skipped_rows} 行合计或表尾（跳过）",
           "row": "第 {rows} 行", "file": "整个文件",
           "dry": "只检查（导入 {job}）：没有写入任何站点；加 --apply all|valid 导入",
           "done": "已导入 {created} 个站点（导入 {job}）",
           "needs": "文件没有说明坐标系，而坐标像是 GCJ-02：加 --crs 说明坐标系后再导入"},
    "en": {"columns": "Columns not imported:", "summary": "{total_rows} rows: {valid} valid, {rejected} rejected, "
           "{duplicates} duplicates skipped, {empty_rows} empty, {skipped_rows} totals or footer rows skipped",
           "row": "row {rows}", "file": "file", "dry": "dry run only (import {job}): nothing written; add --apply "
           "all|valid to import", "done": "imported {created} stations (import {job})",
           "needs": "the file states no coordinate system and looks like GCJ-02: give --crs, then apply"},
}


class StageBars:
    """One tqdm bar per stage of a check or apply (reading rows, matching, writing), on stderr."""

    def __init__(self) -> None:
        self.stage = ""
        self.bar: Any = None  # a tqdm bar; tqdm is imported when the first stage starts

    def __call__(self, stage: str, done: int, total: int = 0) -> None:
        """Move the bar of `stage` to `done` (of `total`, 0 while not known), starting a new bar per stage."""
        from tqdm import tqdm

        from stations.services.importer.progress import STAGES

        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(desc=STAGES.get(stage, stage), unit="rows", file=sys.stderr, disable=None)
        assert self.bar is not None
        if total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        """End the current bar."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _rows(note: dict[str, Any], lang: str) -> str:
    rows = note.get("rows") or []
    listed = ",".join(str(r) for r in rows[:20]) + (f"… ({note['row_count']})" if note["row_count"] > 20 else "")
    return _SAY[lang]["row"].format(rows=listed) if rows else _SAY[lang]["file"]


def _line(note: dict[str, Any], lang: str) -> str:
    level = _LEVELS[lang].get(note["level"], note["level"])
    column = f" [{note['column']}]" if note.get("column") else ""
    hint = f" → {note['suggestion']}" if note["suggestion"] else ""
    return f"{_rows(note, lang)} {level}{column}: {note['problem']}{hint}"


def print_report(report: dict[str, Any], lang: str = "zh") -> None:
    """The report as a clerk reads it: file notes, columns not imported, grouped row notes, the counts."""
    texts = report if lang == "zh" else {**report, **report.get("en", {})}
    for note in texts.get("file_notes", []):
        click.echo(_line(note, lang))
    unused = [c for c in texts.get("columns", []) if not c["imported"]]
    if unused:
        click.echo(_SAY[lang]["columns"])
        for column in unused:
            click.echo(f"  {column['column']} “{column['header']}”: {column['use']}")
    for note in texts.get("issues", []):
        click.echo(_line(note, lang))
    click.echo(_SAY[lang]["summary"].format(**{k: report.get(k, 0) for k in (
        "total_rows", "valid", "rejected", "duplicates", "empty_rows", "skipped_rows")}))


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", type=click.Choice(["wgs84", "gcj02", "bd09"]), default=None,
              help="coordinate system of the file's points when its headers and 坐标系 column do not say")
@click.option("--sheet", default=None, help="the workbook's sheet to read (name or number; default: the first "
              "sheet with a usable header)")
@click.option("--kind", type=click.Choice(["outdoor_station", "mothers_room", "reading_room"]), default=None,
              help="kind of the rows that do not say (a file without a 类型 column)")
@click.option("--apply", "mode", type=click.Choice(["all", "valid"]), default=None,
              help="write after checking: all = nothing unless every row is valid; valid = the valid rows")
@click.option("--actor", default="cli", show_default=True, help="who the history records")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="report language")
@friendly
def import_command(file: Path, crs: str | None, sheet: str | None, kind: str | None, mode: str | None, actor: str,
                   lang: str) -> None:
    """Check FILE (CSV or XLSX, as clerks write them); with --apply, import it (idempotent)."""
    from stations.cli.common import session_scope
    from stations.errors import StationsError
    from stations.geo.crs import Crs
    from stations.reference import Kind
    from stations.services import importer
    from stations.services.importer.messages import english

    limits = importer.Limits.from_settings(load_settings())
    options = importer.Options(crs=Crs(crs) if crs else None, sheet=sheet, kind=Kind(kind) if kind else None)
    bars = StageBars()
    try:
        if file.stat().st_size > limits.max_bytes:
            raise limits.too_big_file()
        with session_scope() as session:
            job = importer.dry_run(session=session, content=file.read_bytes(), filename=file.name, options=options,
                                   actor=actor, scope="", limits=limits, progress=bars)
            bars.close()
            if mode is None or job.report.get("needs"):
                print_report(job.report, lang)
                click.echo(_SAY[lang]["needs" if mode and job.report.get("needs") else "dry"].format(job=job.public_id))
                if mode:
                    raise SystemExit(1)
                return
            job = importer.apply(session=session, job_id=job.id, mode=mode,  # type: ignore[arg-type]
                                 actor=actor, limits=limits, progress=bars)
            bars.close()
    except StationsError as exc:
        if lang == "en" and (en := english(exc)):
            exc.message = en
        raise
    print_report(job.report, lang)
    texts = job.report if lang == "zh" else {**job.report, **job.report.get("en", {})}
    click.echo(texts.get("refused") or _SAY[lang]["done"].format(created=job.report["created"], job=job.public_id))
    if job.status == "rejected":
        raise SystemExit(1)
