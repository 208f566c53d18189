"""Getting a database ready to serve: start the embedded cluster, migrate, load demo data once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from stations.db import migrate, registry_queries
from stations.db.engine import database_url, make_engine
from stations.hours import SHANGHAI
from stations.services.registry import seed as seeding
from stations.services.trust import quality
from stations.settings import Settings

log = logging.getLogger(__name__)
ProgressFactory = Callable[[int, str], Callable[[int], None]]
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_stations.csv"


@contextmanager
def _migrated_transaction(settings: Settings) -> Iterator[Connection]:
    """A connection in one transaction on the configured (or embedded) database, migrated first."""
    url = database_url(settings)
    migrate.upgrade(url=url, lock_timeout_s=settings.migration_lock_timeout_seconds or None)
    engine = make_engine(url, pool_size=1)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def prepare_database(settings: Settings, *, progress: ProgressFactory | None = None) -> None:
    """Migrate the database and, when it holds no station, load the sample and demo stations."""
    with _migrated_transaction(settings) as connection, Session(bind=connection) as session:
        if registry_queries.station_count(session=session):
            return
        log.info("empty_database_loading_demo", extra={"count": settings.demo_count})
        seeding.load_sample(session=session, path=SAMPLE)
        seeding.seed_demo(
            connection=connection, count=settings.demo_count, seed=1,
            progress=progress(settings.demo_count, "demo stations") if progress else None,
        )
        quality.refresh(session=session, now=datetime.now(SHANGHAI))  # bulk-loaded rows have no score yet


def check_migrated(settings: Settings) -> None:
    """Start the embedded cluster if it is the database, and warn when the database lacks this code's migrations
    (`serve` with STATIONS_MIGRATE_ON_START off: a separate `stations db migrate` step migrates)."""
    url = database_url(settings)
    try:
        behind = migrate.pending(url=url)
    except Exception as exc:  # the database may be starting: /readyz says when it answers
        log.warning("migrations_not_checked", extra={"detail": str(exc).splitlines()[0] if str(exc) else repr(exc)})
        return
    if behind:
        log.warning("database_not_migrated", extra={"detail": "the database lacks this version's migrations: "
                                                              "run `stations db migrate` before serving"})


def seed_demo(settings: Settings, *, count: int, seed: int, progress: ProgressFactory | None = None) -> int:
    """Migrate, then load `count` synthetic stations in one transaction; return how many."""
    with _migrated_transaction(settings) as connection:
        return seeding.seed_demo(
            connection=connection, count=count, seed=seed,
            progress=progress(count, "demo stations") if progress else None,
        )
