"""`stations import FILE`: dry run with a per-row report, then apply with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from stations.cli.common import friendly, load_settings, progress_bar


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
    from stations.geo.crs import Crs
    from stations.services import importer

    settings = load_settings()
    with session_scope() as session:
        job = importer.dry_run(session=session, content=file.read_bytes(), filename=file.name, crs=Crs(crs),
                               actor=actor, scope="", max_rows=settings.import_max_rows)
        if mode is None:
            _print_report(job.report)
            click.echo(f"dry run only (import #{job.id}): nothing written; add --apply all|valid to import")
            return
        job = importer.apply(session=session, job_id=job.id, mode=mode,  # type: ignore[arg-type]
                             actor=actor, scope="", progress=progress_bar)
        _print_report(job.report)
        click.echo(job.report.get("refused") or f"imported {job.report['created']} stations (import #{job.id})")
    if job.status == "rejected":
        raise SystemExit(1)
