"""`stations seed --demo`."""

from __future__ import annotations

import click

from stations.cli.common import friendly, load_settings, progress_bar


@click.command()
@click.option("--demo", is_flag=True, required=True, help="generate clearly synthetic demo stations")
@click.option("--count", default=1000, show_default=True, type=click.IntRange(1, 5_000_000))
@click.option("--seed", "seed_value", default=1, show_default=True, type=int, help="random seed")
@friendly
def seed(demo: bool, count: int, seed_value: int) -> None:
    """Load synthetic demo stations (names say 示例), deterministic for a seed."""
    from stations.cli.bootstrap import seed_demo

    loaded = seed_demo(load_settings(), count=count, seed=seed_value, progress=progress_bar)
    click.echo(f"loaded {loaded} demo stations")
