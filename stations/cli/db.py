"""`stations db up|down|migrate|url`."""

from __future__ import annotations

import click

from stations.cli.common import friendly, load_settings


@click.group()
def db() -> None:
    """Manage the database: the embedded cluster and migrations."""


@db.command("up")
@friendly
def up() -> None:
    """Start the embedded PostGIS cluster (creating it the first time) and migrate it."""
    from stations.db import migrate
    from stations.db.local import LocalCluster

    settings = load_settings()
    if settings.database_url:
        raise click.UsageError("STATIONS_DATABASE_URL is set: that server is used and no local one is started")
    cluster = LocalCluster.from_settings(settings)
    migrate.upgrade(url=cluster.up())
    click.echo(f"local PostGIS running on 127.0.0.1:{cluster.port}, data in {cluster.data_dir}")


@db.command("down")
@friendly
def down() -> None:
    """Stop the embedded cluster."""
    from stations.db.local import LocalCluster

    stopped = LocalCluster.from_settings(load_settings()).down()
    click.echo("local PostGIS stopped" if stopped else "local PostGIS was not running")


@db.command("migrate")
@friendly
def migrate_command() -> None:
    """Apply migrations to the configured (or embedded) database."""
    from stations.db import migrate
    from stations.db.engine import database_url

    migrate.upgrade(url=database_url(load_settings()))
    click.echo("database migrated to the latest revision")


@db.command("url")
@friendly
def url() -> None:
    """Print the database URL in use (starting the embedded cluster if needed)."""
    from stations.db.engine import database_url

    click.echo(database_url(load_settings()))
