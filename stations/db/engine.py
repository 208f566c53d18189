"""Engine and session factory for the configured or embedded database."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from stations.db.local import LocalCluster
from stations.settings import Settings

APPLICATION_NAME = "stations"
"""How the app's SQLAlchemy connections show in pg_stat_activity (the nearest lookup's: `stations-reads`)."""


def database_url(settings: Settings, *, start_local: bool = True) -> str:
    """The configured URL, or the embedded cluster's (started first when `start_local`)."""
    if settings.database_url:
        return settings.database_url
    cluster = LocalCluster.from_settings(settings)
    return cluster.up() if start_local else cluster.url()


def make_engine(url: str, *, pool_size: int = 5, connect_timeout: int | None = None) -> Engine:
    """An engine with a fixed pool that checks connections before use; requests beyond it wait for one.

    No overflow: overflow connections are closed on return, so steady concurrency above `pool_size` opened and
    authenticated a new connection per request (and lost its prepared statements).
    """
    connect_args: dict[str, object] = {"application_name": APPLICATION_NAME}
    if connect_timeout:
        connect_args["connect_timeout"] = connect_timeout
    return create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30, pool_pre_ping=True,
                         connect_args=connect_args)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)
