"""`stations serve`."""

from __future__ import annotations

import click

from stations.cli.common import friendly, load_settings, progress_bar


@click.command()
@click.option("--host", default=None, help="interface to listen on (default 127.0.0.1)")
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="port (default 8000)")
@friendly
def serve(host: str | None, port: int | None) -> None:
    """Serve the app; with no database configured, start the embedded one and load demo data."""
    import uvicorn

    from stations.app import create_app
    from stations.services.bootstrap import prepare_database

    settings = load_settings()
    prepare_database(settings, progress=progress_bar)
    app = create_app(settings)
    uvicorn.run(app, host=host or settings.host, port=port or settings.port, log_config=None)
