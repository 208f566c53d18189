"""Apply the package's Alembic migrations to a database, one migrator at a time."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
LOCK_KEY = 7_301_002_020
"""Advisory lock every migration run takes first (migrations/env.py): a second `stations db migrate` started at the
same moment (several containers starting together) waits for the first, then finds nothing left to do."""


def alembic_config(url: str | None = None, connection: Connection | None = None,
                   lock_timeout_s: float | None = None) -> Config:
    """An Alembic config pointing at our migrations and the given URL or open connection; `lock_timeout_s` bounds
    how long a migration waits for a table's lock (None: as long as it takes)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    config.attributes["lock_timeout_ms"] = int(lock_timeout_s * 1000) if lock_timeout_s else None
    return config


def upgrade(*, url: str | None = None, connection: Connection | None = None, revision: str = "heads",
            lock_timeout_s: float | None = None) -> None:
    """Migrate the database to `revision` (all heads by default) in one transaction."""
    command.upgrade(alembic_config(url, connection, lock_timeout_s), revision)


def downgrade(*, url: str | None = None, connection: Connection | None = None, revision: str = "base") -> None:
    """Migrate the database down to `revision`."""
    command.downgrade(alembic_config(url, connection), revision)


def pending(*, url: str) -> bool:
    """True when the database lacks a revision of this code's (an unknown revision in it means newer code
    migrated it ahead, as in a rolling deploy: not pending)."""
    script = ScriptDirectory.from_config(alembic_config())
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    known = {revision.revision for revision in script.walk_revisions()}
    if current - known:
        return False
    applied = {r.revision for head in current for r in script.iterate_revisions(head, "base")}
    return not set(script.get_heads()) <= applied
