"""Admin endpoints for webhook subscriptions (the CLI `stations webhooks` does the same from a shell)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from stations.api.deps import CurrentAdmin, SessionDep, SettingsDep
from stations.db.models import WebhookSubscription
from stations.schemas.webhooks import (
    WebhookCreate,
    WebhookCreated,
    WebhookDeliveriesPublic,
    WebhookDeliveryPublic,
    WebhookPublic,
    WebhooksPublic,
)
from stations.services.feeds import webhooks
from stations.services.feeds.webhooks_guard import Guard

router = APIRouter(prefix="/api/v1/admin/webhooks", tags=["admin"])

SubscriptionId = Annotated[int, Path(ge=1)]


def _public(subscription: WebhookSubscription, backlog: webhooks.Backlog) -> WebhookPublic:
    """A subscription with its backlog counts."""
    return WebhookPublic.model_validate(subscription).model_copy(update=vars(backlog))


@router.post("", response_model=WebhookCreated, status_code=status.HTTP_201_CREATED)
def create_webhook(
    data: WebhookCreate, admin: CurrentAdmin, session: SessionDep, settings: SettingsDep
) -> WebhookCreated:
    """Subscribe a URL to changes from now on (public addresses only); the secret is in this reply only."""
    sub = webhooks.create(
        session=session, url=data.url, secret=data.secret, region=data.region, kinds=[k.value for k in data.kinds],
        guard=Guard(settings.webhook_allow_networks), alerts=data.alerts,
    )
    session.refresh(sub)
    return WebhookCreated(**_public(sub, webhooks.Backlog()).model_dump(), secret=sub.secret)


@router.get("", response_model=WebhooksPublic)
def list_webhooks(
    admin: CurrentAdmin, session: SessionDep, include_removed: Annotated[bool, Query()] = False
) -> WebhooksPublic:
    """Subscriptions with their cursor and pending/dead delivery counts."""
    backlogs = webhooks.backlogs(session=session)
    subs = webhooks.list_subscriptions(session=session, include_removed=include_removed)
    data = [_public(sub, backlogs.get(sub.id, webhooks.Backlog())) for sub in subs]
    return WebhooksPublic(data=data, count=len(data))


@router.get("/{subscription_id}/deliveries", response_model=WebhookDeliveriesPublic)
def list_deliveries(
    subscription_id: SubscriptionId, admin: CurrentAdmin, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> WebhookDeliveriesPublic:
    """The delivery log: per change, attempts, last status code or error, next attempt."""
    rows = webhooks.deliveries(session=session, subscription_id=subscription_id, limit=limit)
    data = [WebhookDeliveryPublic.model_validate(row) for row in rows]
    return WebhookDeliveriesPublic(data=data, count=len(data))


@router.delete("/{subscription_id}", response_model=WebhookPublic)
def remove_webhook(subscription_id: SubscriptionId, admin: CurrentAdmin, session: SessionDep) -> WebhookPublic:
    """Stop deliveries at once (the subscription and its log are kept as removed)."""
    sub = webhooks.remove(session=session, subscription_id=subscription_id)
    return _public(sub, webhooks.backlogs(session=session).get(sub.id, webhooks.Backlog()))
