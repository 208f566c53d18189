"""The change feed's reply: entries in commit order with a resumable cursor."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from stations.db.models import ChangeAction


class FeedEntry(BaseModel):
    """One change: the station's public Feature after it, or a tombstone (feature null) on delete."""

    change_id: int
    station_id: int
    action: ChangeAction
    changed_at: datetime
    deleted: bool
    reason: str | None = None
    feature: dict[str, Any] | None = None
    merged_into: int | None = Field(
        default=None, description="on a tombstone: the station this one was merged into (its id now redirects there)")


class FeedPage(BaseModel):
    """A page of the feed; pass `next_since` as `since` to continue (it never goes backwards)."""

    data: list[FeedEntry]
    count: int
    next_since: int
    has_more: bool
