"""Alembic environment: runs migrations on the connection or URL handed over by stations.db.migrate."""

from __future__ import annotations

from alembic import context
from geoalchemy2 import alembic_helpers
from sqlalchemy import Connection, create_engine, text

from stations.db.migrate import LOCK_KEY
from stations.db.models import Base

config = context.config


def run_migrations_online() -> None:
    """Run migrations inside one transaction on the given connection or URL."""
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
        engine.dispose()
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=alembic_helpers.include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        # One migrator at a time, waiting as long as the other takes; then no DDL waits longer than the timeout for a
        # table's lock: a migration queued behind a long query (an export) would block every query queued behind it.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
        if lock_timeout_ms := config.attributes.get("lock_timeout_ms"):
            connection.execute(text(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}"))
        context.run_migrations()


run_migrations_online()
