"""Webhook subscriptions: admins register a URL (with a secret shown once) and an optional region/kind filter.

The secret is stored as given, not hashed: the worker needs it to sign every POST (HMAC-SHA256).
A new subscription starts at the feed's head, so it receives changes made from now on; the change
feed (`/api/v1/feed/changes`) is the way to load what happened before.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from stations.db import webhook_queries
from stations.db.models import WebhookDelivery, WebhookSubscription
from stations.db.webhook_queries import BACKLOG
from stations.errors import InvalidInput, NotFound
from stations.reference import unknown_kind
from stations.regions import validate_adcode
from stations.services.feeds import feed
from stations.services.feeds.webhooks_guard import Guard

SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class Backlog:
    """How far behind a subscription is: deliveries waiting and deliveries given up on."""

    pending: int = 0
    dead: int = 0


def validate_url(url: str) -> str:
    """The URL stripped, or InvalidInput saying why it cannot receive webhooks."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"webhook URL is longer than {MAX_URL_LENGTH} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InvalidInput(f"webhook URL must start with http:// or https:// (got scheme {parts.scheme!r})")
    if not parts.hostname:
        raise InvalidInput("webhook URL has no host name, e.g. https://example.com/hooks/stations")
    if parts.username or parts.password:
        raise InvalidInput("webhook URL must not carry a user or password: requests are signed with the secret")
    if parts.fragment:
        raise InvalidInput("webhook URL must not have a #fragment: it is never sent to the server")
    try:
        _ = parts.port
    except ValueError as exc:
        raise InvalidInput(f"webhook URL has a bad port: {exc}") from exc
    return url


def _kinds(kinds: list[str]) -> list[str]:
    """Known kinds, deduplicated in order, or InvalidInput listing the valid ones."""
    if problem := unknown_kind(kinds):
        raise InvalidInput(problem)
    return list(dict.fromkeys(kinds))


def create(
    *, session: Session, url: str, secret: str | None = None, region: str | None = None,
    kinds: list[str] | None = None, guard: Guard | None = None, alerts: bool = False,
) -> WebhookSubscription:
    """A new subscription starting at the feed's head; a secret is generated when none is given.

    The URL's host must resolve to public addresses only (`guard`, default: the system's DNS, no allowed
    networks); delivery checks it again.
    """
    if secret is not None and len(secret.strip()) < 16:
        raise InvalidInput("a webhook secret needs at least 16 characters (leave it out to get a random one)")
    url = validate_url(url)
    (guard or Guard()).check_url(url)
    subscription = WebhookSubscription(
        url=url,
        secret=secret.strip() if secret else SECRET_PREFIX + secrets.token_urlsafe(32),
        region=validate_adcode(region) if region else None,
        kinds=_kinds(kinds or []),
        last_change_id=feed.head(session=session),
        alerts=alerts,
    )
    session.add(subscription)
    session.flush()
    return subscription


def list_subscriptions(*, session: Session, include_removed: bool = False) -> list[WebhookSubscription]:
    """Subscriptions, oldest first (removed ones only when asked)."""
    return webhook_queries.subscriptions(session=session, include_removed=include_removed)


def get(*, session: Session, subscription_id: int) -> WebhookSubscription:
    """One subscription (removed ones too), or NotFound."""
    subscription = session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise NotFound(f"no webhook with id {subscription_id}: `stations webhooks list` shows them")
    return subscription


def remove(*, session: Session, subscription_id: int) -> WebhookSubscription:
    """Stop deliveries to a subscription at once (kept, with its log, as removed)."""
    subscription = get(session=session, subscription_id=subscription_id)
    subscription.removed_at = subscription.removed_at or datetime.now(UTC)
    session.flush()
    return subscription


def backlogs(*, session: Session) -> dict[int, Backlog]:
    """Pending and dead delivery counts per subscription id (absent = nothing waiting)."""
    return {row.subscription_id: Backlog(row.pending, row.dead) for row in session.execute(BACKLOG)}


def deliveries(*, session: Session, subscription_id: int, limit: int = 100) -> list[WebhookDelivery]:
    """A subscription's delivery log, newest change first."""
    get(session=session, subscription_id=subscription_id)
    return webhook_queries.deliveries_of(session=session, subscription_id=subscription_id, limit=limit)
