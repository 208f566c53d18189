"""Webhook subscriptions and their delivery log as admins see them (the secret only once, at creation)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from stations.reference import Kind
from stations.schemas.types import JsonBody


class WebhookCreate(JsonBody):
    """A new subscriber: where to POST, an optional secret, and an optional region/kind filter."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000, description="http:// or https:// URL receiving the POSTs")
    secret: str | None = Field(default=None, min_length=16, max_length=128, description="generated when absent")
    region: str | None = Field(default=None, description="adcode; a province or city covers what lies inside")
    kinds: list[Kind] = Field(default_factory=list, description="empty = every kind")
    alerts: bool = Field(default=False, description="also weather alert events (issue 24) in the region")


class WebhookPublic(BaseModel):
    """A subscription without its secret, with how far behind it is."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    url: str
    region: str | None
    kinds: list[str]
    alerts: bool = False
    last_change_id: int
    created_at: datetime
    removed_at: datetime | None
    pending: int = 0
    dead: int = 0


class WebhookCreated(WebhookPublic):
    """A new subscription with its secret, shown this once."""

    secret: str


class WebhooksPublic(BaseModel):
    """Subscriptions, oldest first."""

    data: list[WebhookPublic]
    count: int


class WebhookDeliveryPublic(BaseModel):
    """One change for one subscriber: attempts so far, the last outcome and the next try."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    change_id: int
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookDeliveriesPublic(BaseModel):
    """A subscription's delivery log, newest change first."""

    data: list[WebhookDeliveryPublic]
    count: int
