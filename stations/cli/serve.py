"""`stations serve`."""

from __future__ import annotations

from typing import Any

import click
from fastapi import FastAPI

from stations.cli.common import friendly, load_settings, progress_bar
from stations.settings import Settings


@click.command()
@click.option("--host", default=None, help="interface to listen on (default 127.0.0.1)")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="port (default 8000)")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="worker processes; about one per core when the database runs elsewhere")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="log every request")
@friendly
def serve(host: str | None, port: int | None, workers: int, access_log: bool) -> None:
    """Serve the app; with no database configured, start the embedded one; migrate and load demo data into an empty
    database unless STATIONS_MIGRATE_ON_START is off."""
    import uvicorn

    from stations.app import create_app
    from stations.cli.bootstrap import check_migrated, prepare_database

    settings = load_settings()
    if settings.migrate_on_start:
        prepare_database(settings, progress=progress_bar)
    else:  # several app processes starting together must not race on migrations: they are a step of their own
        check_migrated(settings)
    options = server_options(settings) | {"host": host or settings.host, "port": port or settings.port,
                                          "access_log": access_log}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)
    else:  # worker processes import the app by name and build it from the same environment
        uvicorn.run("stations.cli.serve:worker_app", factory=True, workers=workers, **options)


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options from the settings: X-Forwarded-For/-Proto believed only from STATIONS_TRUSTED_PROXIES.

    uvicorn trusts 127.0.0.1 by default, which let any local peer (or a proxy passing the header through) pick
    its own address; with no trusted proxies the headers are ignored altogether.
    """
    trusted = list(settings.trusted_proxies)
    return {"host": settings.host, "port": settings.port, "log_config": None,
            "proxy_headers": bool(trusted), "forwarded_allow_ips": trusted}


def worker_app() -> FastAPI:
    """The app of one `--workers` process (the embedded database is already up and migrated)."""
    from stations.app import create_app

    return create_app(load_settings())
