"""`stations listings import FILE` and `stations listings stats [--region ADCODE]`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from stations.cli.common import friendly, session_scope


@click.group()
def listings() -> None:
    """Provider listing status (双上图): import POI ids, show coverage."""


@listings.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", show_default=True, help="name recorded in the station history")
@friendly
def import_command(file: Path, actor: str) -> None:
    """Apply a CSV of sign_code,provider,poi_id[,status]; nothing is written if any row is bad."""
    from stations.services.feeds import listings as service

    with session_scope() as session:
        report = service.import_poi_ids(session=session, text=file.read_text(encoding="utf-8-sig"), actor=actor)
    for error in report.errors:
        click.echo(f"error: {error}", err=True)
    click.echo(f"{report.rows} rows: {report.updated} updated, {report.unchanged} unchanged")
    if report.errors:
        raise SystemExit(1)


@listings.command("stats")
@click.option("--region", default=None, help="adcode of a province, city or county")
@friendly
def stats(region: str | None) -> None:
    """Print listing coverage as JSON."""
    from stations.services.feeds import listings as service

    with session_scope() as session:
        click.echo(json.dumps(service.stats(session=session, region=region).model_dump(), ensure_ascii=False))
