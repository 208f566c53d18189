"""`stations export --format F [--region ADCODE] [--output FILE]`."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click

from stations.cli.common import friendly, session_scope
from stations.services.feeds.exports import ExportFormat


@click.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice([f.value for f in ExportFormat]),
              help="geojson/csv/xlsx in WGS-84; amap/tencent in GCJ-02; baidu in BD-09")
@click.option("--region", default=None, help="adcode of a province, city or county (default: everything)")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="file to write (default: standard output)")
@friendly
def export(fmt: str, region: str | None, output: str | None) -> None:
    """Export live stations, streamed (a million rows never sit in memory)."""
    from stations.regions import region_prefix
    from stations.services.feeds import exports

    if fmt == ExportFormat.XLSX and output is None and sys.stdout.isatty():
        raise click.UsageError("xlsx is binary: give --output FILE or redirect standard output")
    region_prefix(region)
    with session_scope() as session:
        sink: BinaryIO = open(output, "wb") if output else sys.stdout.buffer  # noqa: SIM115
        try:
            for chunk in exports.stream(session=session, fmt=ExportFormat(fmt), region=region):
                sink.write(chunk)
        finally:
            if output:
                sink.close()
    if output:
        click.echo(f"wrote {output} ({exports.TARGETS[ExportFormat(fmt)].crs_label})", err=True)
