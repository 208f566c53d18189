"""`stations quality refresh` and `stations checklists load|list`: scores, rating reviews and checklists as data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from stations.cli.common import friendly, in_transaction


@click.group()
def quality() -> None:
    """The quality score of every station (docs/quality.md)."""


@quality.command("refresh")
@friendly
def refresh() -> None:
    """Recompute every live station's score and take down ratings past their yearly review (run daily)."""
    from stations.hours import SHANGHAI
    from stations.services.trust import inspections
    from stations.services.trust import quality as scoring

    now = datetime.now(SHANGHAI)
    expired = in_transaction(lambda s: inspections.expire_ratings(session=s, today=now.date()))
    changed = in_transaction(lambda s: scoring.refresh(session=s, now=now))
    click.echo(f"{changed} scores changed; {expired} ratings past their review taken down")


@click.group()
def checklists() -> None:
    """Inspection checklists and star rules per province, as versioned data."""


@checklists.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "actor", default="cli", show_default=True, help="who loads it (kept with the version)")
@friendly
def load(file: Path, actor: str) -> None:
    """Load a checklist JSON file (see data/checklists/national-v1.json) as a new version of its province."""
    from stations.services.trust import checklists as service

    rules = service.parse(file.read_bytes())
    row = in_transaction(lambda s: service.load(session=s, rules=rules, actor=actor))
    click.echo(f"checklist {row.province}-{row.version} loaded: {row.name} ({len(rules.items)} items)")


@checklists.command("list")
@friendly
def list_command() -> None:
    """Every version: province-version, name, who loaded it and when."""
    from stations.services.trust import checklists as service

    for row in in_transaction(lambda s: service.all_versions(session=s)):
        click.echo(f"{row.province}-{row.version}\t{row.name}\t{row.loaded_by}\t{row.loaded_at:%Y-%m-%d %H:%M}")
