"""The `stations` command; each area registers its subcommands from its own module."""

from __future__ import annotations

import click

from stations.cli import calendar, db, export, importer, keys, listings, quality, seed, serve, users, webhooks


@click.group()
def main() -> None:
    """Stations: the union service-station registry and map."""


main.add_command(serve.serve)
main.add_command(db.db)
main.add_command(seed.seed)
main.add_command(users.users)
main.add_command(importer.import_command)
main.add_command(export.export)
main.add_command(listings.listings)
main.add_command(keys.keys)
main.add_command(webhooks.webhooks)
main.add_command(calendar.calendar)
main.add_command(quality.quality)
main.add_command(quality.checklists)
