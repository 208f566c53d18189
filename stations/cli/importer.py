"""`stations import FILE`: dry run with a per-row report, then apply; progress bars on stderr for every stage."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from stations.cli.common import friendly, load_settings


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


def _print_report(report: dict[str, Any]) -> None:
    for issue in report.get("issues", []):
        hint = f" → {issue['suggestion']}" if issue["suggestion"] else ""
        click.echo(f"row {issue['row']:>6} {issue['level']:<7} {issue['field']}: {issue['problem']}{hint}")
    click.echo(
        f"{report['total_rows']} rows: {report['valid']} valid, {report['rejected']} rejected, "
        f"{report['duplicates']} duplicates skipped, {report['empty_rows']} empty"
    )


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", type=click.Choice(["wgs84", "gcj02", "bd09"]), default="wgs84", show_default=True,
              help="coordinate system of rows without a 坐标系 column")
@click.option("--apply", "mode", type=click.Choice(["all", "valid"]), default=None,
              help="write after checking: all = nothing unless every row is valid; valid = the valid rows")
@click.option("--actor", default="cli", show_default=True, help="who the history records")
@friendly
def import_command(file: Path, crs: str, mode: str | None, actor: str) -> None:
    """Check FILE (CSV or XLSX, Chinese or English headers); with --apply, import it (idempotent)."""
    from stations.cli.common import session_scope
    from stations.errors import TooLarge
    from stations.geo.crs import Crs
    from stations.services import importer

    limits = importer.Limits.from_settings(load_settings())
    if file.stat().st_size > limits.max_bytes:
        raise TooLarge(f"文件超过 {limits.max_bytes >> 20} MB（STATIONS_IMPORT_MAX_BYTES）：请拆分成较小的文件后再导入")
    bars = StageBars()
    with session_scope() as session:
        job = importer.dry_run(session=session, content=file.read_bytes(), filename=file.name, crs=Crs(crs),
                               actor=actor, scope="", limits=limits, progress=bars)
        bars.close()
        if mode is None:
            _print_report(job.report)
            click.echo(f"dry run only (import {job.public_id}): nothing written; add --apply all|valid to import")
            return
        job = importer.apply(session=session, job_id=job.id, mode=mode,  # type: ignore[arg-type]
                             actor=actor, limits=limits, progress=bars)
        bars.close()
        _print_report(job.report)
        click.echo(job.report.get("refused") or f"imported {job.report['created']} stations (import {job.public_id})")
    if job.status == "rejected":
        raise SystemExit(1)
