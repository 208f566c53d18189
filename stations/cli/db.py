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
    migrate.upgrade(url=cluster.up(), lock_timeout_s=settings.migration_lock_timeout_seconds or None)
    click.echo(f"local PostGIS running on 127.0.0.1:{cluster.port}, data in {cluster.data_dir}")


@db.command("down")
@friendly
def down() -> None:
    """Stop the embedded cluster."""
    from stations.db.local import LocalCluster

    stopped = LocalCluster.from_settings(load_settings()).down()
    click.echo("local PostGIS stopped" if stopped else "local PostGIS was not running")


@db.command("migrate")
@click.option("--demo-if-empty", is_flag=True,
              help="then load the sample and STATIONS_DEMO_COUNT demo stations when the database holds none")
@friendly
def migrate_command(demo_if_empty: bool) -> None:
    """Apply migrations to the configured (or embedded) database; safe to run from several places at once (the
    second waits for the first). Run it once before starting app processes that have STATIONS_MIGRATE_ON_START off."""
    from stations.cli.bootstrap import prepare_database
    from stations.cli.common import progress_bar
    from stations.db import migrate
    from stations.db.engine import database_url

    settings = load_settings()
    if demo_if_empty:
        prepare_database(settings, progress=progress_bar)
    else:
        migrate.upgrade(url=database_url(settings), lock_timeout_s=settings.migration_lock_timeout_seconds or None)
    click.echo("database migrated to the latest revision")


@db.command("url")
@friendly
def url() -> None:
    """Print the database URL in use (starting the embedded cluster if needed)."""
    from stations.db.engine import database_url

    click.echo(database_url(load_settings()))
