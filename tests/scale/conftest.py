"""Fixtures of the tests that need more than one server: a primary with a streaming replica of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from stations.settings import Settings
from tests.scale.cluster import Replicated, replicated

TABLES = "webhook_deliveries, webhook_subscriptions, api_keys, station_changes, provider_listings, stations, sites"


@pytest.fixture(scope="package")
def pair() -> Iterator[Replicated]:
    """A primary and its replica on ports of their own: STATIONS_LOCAL_DB_PORT + 20 and + 10 (so suites run side by
    side on one machine, each with its own STATIONS_LOCAL_DB_PORT, do not collide)."""
    port = Settings().local_db_port
    with replicated(primary_port=port + 20, replica_port=port + 10) as servers:
        yield servers


@pytest.fixture(scope="package")
def primary_engine(pair: Replicated) -> Iterator[Engine]:
    """An engine on the primary (real commits)."""
    engine = create_engine(pair.url(pair.primary), pool_size=6, pool_pre_ping=True)  # the primary is restarted
    yield engine
    engine.dispose()


@pytest.fixture
def primary(primary_engine: Engine, pair: Replicated) -> sessionmaker[Session]:
    """Sessions on the primary, whose registry is emptied first (and the replica has replayed that)."""
    with primary_engine.begin() as conn:
        conn.execute(text("SET LOCAL lock_timeout = '10s'"))
        conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    pair.caught_up()
    return sessionmaker(bind=primary_engine, expire_on_commit=False)


def app_settings(pair: Replicated, *, replicas: list[str] | None = None, **extra: object) -> Settings:
    """An app on the pair's primary that reads from its replica (or from `replicas`), checking them every 0.2 s."""
    values: dict[str, object] = {
        "database_url": pair.url(pair.primary),
        "read_database_urls": replicas if replicas is not None else [pair.url(pair.replica)],
        "log_format": "console", "password_hash_cost": "test", "require_api_key": False, "read_pool_warm": False,
        "pool_size": 2, "read_pool_size": 2, "replica_check_seconds": 0.2, "connect_timeout_seconds": 2,
    }
    return Settings(**(values | extra))  # type: ignore[arg-type]
