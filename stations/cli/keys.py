"""`stations keys add|list|revoke`: API keys for feed and export clients (shell access = admin)."""

from __future__ import annotations

import click

from stations.cli.common import friendly, in_transaction


@click.group()
def keys() -> None:
    """Create, list and revoke API keys."""


@keys.command("add")
@click.argument("name")
@click.option("--rate", default=600, show_default=True, type=click.IntRange(1, 1_000_000), help="requests a minute")
@friendly
def add(name: str, rate: int) -> None:
    """Create a key for NAME and print its token (shown only now; only a hash is kept)."""
    from stations.services.feeds import apikeys

    raw, key = in_transaction(lambda s: apikeys.create(session=s, name=name, rate_per_minute=rate))
    click.echo(f"key {key.id} for {name} ({rate}/min): {raw}")


@keys.command("list")
@friendly
def list_command() -> None:
    """List keys: id, prefix, name, rate, created, revoked."""
    from stations.services.feeds import apikeys

    for key in in_transaction(lambda s: apikeys.list_keys(session=s)):
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
        click.echo(f"{key.id}\t{key.prefix}…\t{key.name}\t{key.rate_per_minute}/min\t{key.created_at:%Y-%m-%d}\t{state}")


@keys.command("revoke")
@click.argument("key_id", type=int)
@friendly
def revoke(key_id: int) -> None:
    """Revoke a key at once."""
    from stations.services.feeds import apikeys

    key = in_transaction(lambda s: apikeys.revoke(session=s, key_id=key_id))
    click.echo(f"key {key.id} ({key.name}) revoked")
