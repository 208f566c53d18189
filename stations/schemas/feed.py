"""The change feed's reply: entries in commit order with a resumable cursor."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from stations.db.models import ChangeAction


class AlertAction(StrEnum):
    """What happened to a weather alert (issue 24)."""

    ISSUE = "issue"
    UPDATE = "update"
    CANCEL = "cancel"


class FeedEntry(BaseModel):
    """One change: the station's public Feature after it, or a tombstone (feature null) on delete; or (event
    `alert`, only when asked for) a weather alert issued, updated or cancelled."""

    change_id: int
    event: Literal["station", "alert"] = "station"
    station_id: int | None = Field(description="the station changed (null on an alert event)")
    action: ChangeAction | AlertAction
    changed_at: datetime
    deleted: bool
    reason: str | None = None
    feature: dict[str, Any] | None = None
    merged_into: int | None = Field(
        default=None, description="on a tombstone: the station this one was merged into (its id now redirects there)")
    alert_id: int | None = Field(default=None, description="on an alert event: the alert's id")
    alert: dict[str, Any] | None = Field(default=None, description="on an alert event: the alert after it")


class FeedPage(BaseModel):
    """A page of the feed; pass `next_since` as `since` to continue (it never goes backwards)."""

    data: list[FeedEntry]
    count: int
    next_since: int
    has_more: bool
