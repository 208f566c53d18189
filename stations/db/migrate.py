"""Apply the package's Alembic migrations to a database."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An Alembic config pointing at our migrations and the given URL or open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(*, url: str | None = None, connection: Connection | None = None, revision: str = "heads") -> None:
    """Migrate the database to `revision` (all heads by default) in one transaction."""
    command.upgrade(alembic_config(url, connection), revision)


def downgrade(*, url: str | None = None, connection: Connection | None = None, revision: str = "base") -> None:
    """Migrate the database down to `revision`."""
    command.downgrade(alembic_config(url, connection), revision)
