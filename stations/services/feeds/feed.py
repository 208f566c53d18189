"""The change feed: every station change in commit order, read with a monotonic cursor.

Why the cursor is safe: `station_changes.id` is drawn at INSERT, and a BEFORE INSERT statement
trigger (migration 0003_sync) first takes a transaction-scoped advisory lock, held until COMMIT.
PostgreSQL makes a commit visible before it releases its locks, so a transaction can only draw an id
after every earlier change-writing transaction is visible (or rolled back). Hence a reader that has
seen id N will never later see a committed id below N: nothing is skipped, nothing repeated.

Chosen over the `xid8 < pg_snapshot_xmin(...)` filter because transaction ids are handed out at a
transaction's first write, not at commit: two writers of the same station can commit in the opposite
order to their xids, and a replay ordered by xid would end on the older version. The cost of the
lock: change-writing transactions are serialised from their first change row to their commit (keep
bulk imports in short chunks); readers never block, and a deadlock between two multi-station writers
is detected by PostgreSQL and one is rolled back with a clear error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from stations.db.models import ChangeAction
from stations.db.statements import StatementReads
from stations.db.sync_queries import FEED_HEAD, FEED_PAGE
from stations.schemas.feed import FeedPage
from stations.services.feeds.writing import written

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


EVENTS = ("station", "alert")
"""Event types of the feed: station changes, and (issue 24) weather alerts issued, updated or cancelled."""


def page(
    *, session: Session, since: int = 0, limit: int = DEFAULT_LIMIT, modified_since: datetime | None = None,
    events: Collection[str] = ("station",),
) -> FeedPage:
    """Changes after cursor `since` (optionally only those made at or after `modified_since`) of the `events` types:
    the page a request gets (`read_page`), read back as the model (one writer of the feed's entries)."""
    rows = session.execute(FEED_PAGE, _params(since, limit, modified_since, events)).mappings().all()
    return FeedPage.model_validate_json(_write_page(rows, since, limit).body)


@dataclass(frozen=True)
class WrittenPage:
    """A page as a request sends it: its JSON, and what its headers say of it."""

    body: bytes
    count: int
    next_since: int
    has_more: bool


async def read_page(
    *, reads: StatementReads, since: int = 0, limit: int = DEFAULT_LIMIT, modified_since: datetime | None = None,
    events: Collection[str] = ("station",),
) -> WrittenPage:
    """`page` for a request, written as JSON: one prepared statement through the read pools (`db.statements`), the
    page written where `writing.written` says."""
    rows = await reads(FEED_PAGE, _params(since, limit, modified_since, events))
    return await written(len(rows), _write_page, rows, since, limit)


def _write_page(rows: Sequence[Mapping[Any, Any]], since: int, limit: int) -> WrittenPage:
    """The page of FEED_PAGE's rows (one more than `limit` were asked for: it says whether more follow), written by
    orjson in `FeedEntry`'s shape with each change's stored JSON copied in as PostgreSQL gave it: parsing every ~2 KB
    feature only to write it again was most of a page's time."""
    data = [_alert_json(row) if row["event"] == "alert" else _station_json(row) for row in rows[:limit]]
    next_since = data[-1]["change_id"] if data else since
    has_more = len(rows) > limit
    body = orjson.dumps({"data": data, "count": len(data), "next_since": next_since, "has_more": has_more},
                        option=orjson.OPT_UTC_Z)
    return WrittenPage(body, len(data), next_since, has_more)


def _params(since: int, limit: int, modified_since: datetime | None, events: Collection[str]) -> dict[str, Any]:
    return {"since": since, "limit": limit + 1, "modified_since": modified_since, "stations": "station" in events,
            "alerts": "alert" in events}


def _station_json(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A station change as `FeedEntry` writes it (the same keys in the same order)."""
    return {"change_id": row["id"], "event": "station", "station_id": row["station_id"], "action": row["action"],
            "changed_at": row["changed_at"], "deleted": row["action"] == ChangeAction.DELETE, "reason": row["reason"],
            "feature": _fragment(row["after"]), "merged_into": row["merged_into"], "alert_id": None, "alert": None}


def _alert_json(row: Mapping[Any, Any]) -> dict[str, Any]:
    """An alert event as `FeedEntry` writes it."""
    return {"change_id": row["id"], "event": "alert", "station_id": None, "action": row["action"],
            "changed_at": row["changed_at"], "deleted": False, "reason": None, "feature": None, "merged_into": None,
            "alert_id": row["alert_id"], "alert": _fragment(row["after"])}


def _fragment(text: str | None) -> orjson.Fragment | None:
    return None if text is None else orjson.Fragment(text)


def head(*, session: Session) -> int:
    """The newest cursor (0 when nothing changed yet): start here to follow only future changes."""
    return int(session.execute(FEED_HEAD).scalar_one())
