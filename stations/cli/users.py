"""`stations users add|list|disable`: staff accounts from the command line."""

from __future__ import annotations

import click

from stations.cli.common import friendly, load_settings, session_scope


@click.group()
def users() -> None:
    """Manage staff accounts (admin, editor or inspector scoped to a region, viewer)."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "editor", "inspector", "viewer"]), required=True)
@click.option("--region", default="",
              help="region an editor may change (an inspector inspect): province 62 (or 620000), city 6201 "
                   "(or 620100), county 620102")
@click.option("--name", "display_name", default=None, help="display name (defaults to the username)")
@click.password_option(help="the password (prompted twice when not given)")
@friendly
def add(username: str, role: str, region: str, display_name: str | None, password: str) -> None:
    """Create a staff account with an Argon2-hashed password."""
    from pydantic import ValidationError

    from stations.db.models import Role
    from stations.schemas.staff import StaffUserCreate
    from stations.services.staff import users as service

    settings = load_settings()
    try:
        data = StaffUserCreate(
            username=username, password=password, role=Role(role), region_prefix=region,
            display_name=display_name or username,
        )
    except ValidationError as exc:
        raise click.UsageError("; ".join(str(e["msg"]) for e in exc.errors())) from exc
    with session_scope() as session:
        user = service.create(session=session, data=data, cost=settings.password_hash_cost)
        click.echo(f"added {user.username} ({user.role.value}{' ' + user.region_prefix if region else ''})")


@users.command("list")
@friendly
def list_users() -> None:
    """List staff accounts."""
    from stations.services.staff import users as service

    with session_scope() as session:
        for u in service.list_all(session=session):
            state = "active" if u.is_active else "disabled"
            click.echo(f"{u.username}\t{u.role.value}\t{u.region_prefix or '*'}\t{state}\t{u.display_name}")


@users.command("disable")
@click.argument("username")
@friendly
def disable(username: str) -> None:
    """Disable an account and end its logins at once."""
    from stations.services.staff import users as service

    with session_scope() as session:
        service.disable(session=session, username=username)
    click.echo(f"disabled {username}")
