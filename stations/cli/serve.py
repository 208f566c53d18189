"""`stations serve`."""

from __future__ import annotations

import click
from fastapi import FastAPI

from stations.cli.common import friendly, load_settings, progress_bar


@click.command()
@click.option("--host", default=None, help="interface to listen on (default 127.0.0.1)")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="port (default 8000)")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="worker processes; about one per core when the database runs elsewhere")
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="log every request")
@friendly
def serve(host: str | None, port: int | None, workers: int, access_log: bool) -> None:
    """Serve the app; with no database configured, start the embedded one and load demo data."""
    import uvicorn

    from stations.app import create_app
    from stations.services.bootstrap import prepare_database

    settings = load_settings()
    prepare_database(settings, progress=progress_bar)
    options = {"host": host or settings.host, "port": port or settings.port, "log_config": None,
               "access_log": access_log}
    if workers == 1:
        uvicorn.run(create_app(settings), **options)  # type: ignore[arg-type]
    else:  # worker processes import the app by name and build it from the same environment
        uvicorn.run("stations.cli.serve:worker_app", factory=True, workers=workers, **options)  # type: ignore[arg-type]


def worker_app() -> FastAPI:
    """The app of one `--workers` process (the embedded database is already up and migrated)."""
    from stations.app import create_app

    return create_app(load_settings())
