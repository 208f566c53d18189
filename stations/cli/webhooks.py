"""`stations webhooks add|list|remove|deliver`: signed change pushes to subscribers (shell access = admin)."""

from __future__ import annotations

import signal
import threading

import click
from sqlalchemy.orm import Session

from stations.cli.common import friendly, in_transaction, load_settings
from stations.reference import Kind


@click.group()
def webhooks() -> None:
    """Register webhook subscribers and deliver station changes to them."""


@webhooks.command("add")
@click.argument("url")
@click.option("--secret", help="HMAC secret (16+ characters); a random one is generated when left out")
@click.option("--region", help="only stations in this adcode (province, city or county), e.g. 620000")
@click.option("--kind", "kinds", multiple=True, type=click.Choice([k.value for k in Kind]), help="repeatable")
@click.option("--alerts", is_flag=True, help="also weather alert events in the region (event type `alert`)")
@friendly
def add(url: str, secret: str | None, region: str | None, kinds: tuple[str, ...], alerts: bool) -> None:
    """Subscribe URL to changes from now on; prints the secret (shown only now)."""
    from stations.services.feeds import webhooks as service
    from stations.services.feeds.webhooks_guard import Guard

    guard = Guard(load_settings().webhook_allow_networks)
    sub = in_transaction(
        lambda s: service.create(session=s, url=url, secret=secret, region=region, kinds=list(kinds), guard=guard,
                                 alerts=alerts)
    )
    click.echo(f"webhook {sub.id} -> {sub.url} (from change {sub.last_change_id}); secret: {sub.secret}")


@webhooks.command("list")
@click.option("--all", "include_removed", is_flag=True, help="include removed subscriptions")
@friendly
def list_command(include_removed: bool) -> None:
    """List subscriptions: id, url, filter, cursor, pending and dead deliveries."""
    from stations.services.feeds import webhooks as service

    def read(session: Session) -> list[str]:
        backlogs = service.backlogs(session=session)
        lines = []
        for sub in service.list_subscriptions(session=session, include_removed=include_removed):
            backlog = backlogs.get(sub.id, service.Backlog())
            where = f"region {sub.region}" if sub.region else "all regions"
            kinds = ",".join(sub.kinds) or "all kinds"
            state = f"removed {sub.removed_at:%Y-%m-%d}" if sub.removed_at else "active"
            lines.append(f"{sub.id}\t{sub.url}\t{where}\t{kinds}\tcursor {sub.last_change_id}\t"
                         f"{backlog.pending} pending\t{backlog.dead} dead\t{state}")
        return lines

    for line in in_transaction(read):
        click.echo(line)


@webhooks.command("remove")
@click.argument("subscription_id", type=int)
@friendly
def remove(subscription_id: int) -> None:
    """Stop deliveries to a subscription at once (its delivery log is kept)."""
    from stations.services.feeds import webhooks as service

    sub = in_transaction(lambda s: service.remove(session=s, subscription_id=subscription_id))
    click.echo(f"webhook {sub.id} ({sub.url}) removed")


@webhooks.command("deliver")
@click.option("--once", is_flag=True, help="deliver what is due now and exit")
@friendly
def deliver(once: bool) -> None:
    """Deliver changes to subscribers, every STATIONS_WEBHOOK_POLL_SECONDS until interrupted."""
    from stations.db.engine import database_url, make_engine, make_session_factory
    from stations.services.feeds.webhooks_delivery import Policy, run_forever, run_once

    settings = load_settings()
    engine = make_engine(database_url(settings), pool_size=4)
    sessions = make_session_factory(engine)
    policy = Policy.from_settings(settings)
    try:
        if once:
            summary = run_once(sessions=sessions, policy=policy)
            click.echo(f"queued {summary.queued}, delivered {summary.delivered}, "
                       f"failed {summary.failed} (will retry), dead {summary.dead}")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        click.echo(f"delivering webhooks every {settings.webhook_poll_seconds:g} s (Ctrl-C stops)", err=True)
        try:
            run_forever(sessions=sessions, policy=policy, poll_seconds=settings.webhook_poll_seconds, stop=stop)
        except KeyboardInterrupt:
            stop.set()
    finally:
        engine.dispose()
