"""SQL of webhook delivery: fill the outbox from station_changes, claim due deliveries, record outcomes."""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from stations.db.models import WebhookDelivery, WebhookSubscription

# A snapshot matches when its region (adcode prefix, '' = any) and kind (empty = any) both fit.
_MATCH = """
    (s.{side} IS NOT NULL
     AND (s.{side} -> 'properties' ->> 'adcode') LIKE :prefix || '%'
     AND (cardinality(CAST(:kinds AS varchar[])) = 0
          OR (s.{side} -> 'properties' ->> 'kind') = ANY(CAST(:kinds AS varchar[]))))
"""

# An alert event matches a subscription that asked for alerts when one of its areas (a province, city or county
# code; its prefix drops the trailing 00 pairs) and the subscription's region (a prefix, '' = any) overlap.
_ALERT_MATCH = """
    (s.areas IS NOT NULL AND CAST(:alerts AS boolean)
     AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(s.areas) AS area
                 WHERE area LIKE :prefix || '%' OR :prefix LIKE regexp_replace(area, '(00)+$', '') || '%'))
"""

# One step of one subscription's cursor: scan the changes after it (no more than the room left in its
# window of :window pending deliveries, so a subscriber that is behind never piles up a huge queue), queue
# the ones matching the filter (before OR after the change, so a station leaving the region is still
# announced), and move the cursor to the last change scanned, all in one statement. Change ids follow
# commit order (see stations/services/feeds/feed.py), so every id below the newest one visible is visible.
ENQUEUE = text(
    f"""
    WITH room AS (
        SELECT least(greatest(:window - count(*), 0), :batch) AS n
        FROM webhook_deliveries WHERE subscription_id = :subscription_id AND status = 'pending'
    ), scanned AS (
        SELECT * FROM (
            SELECT c.id, c.before, c.after, CAST(NULL AS jsonb) AS areas
            FROM station_changes AS c
            WHERE c.id > (SELECT last_change_id FROM webhook_subscriptions WHERE id = :subscription_id)
            ORDER BY c.id
            LIMIT (SELECT n FROM room)
        ) AS stations
        UNION ALL
        SELECT * FROM (  -- issue 24: alert events, numbered from the same sequence under the same lock
            SELECT a.id, CAST(NULL AS jsonb), CAST(NULL AS jsonb), a.after -> 'areas'
            FROM alert_changes AS a
            WHERE a.id > (SELECT last_change_id FROM webhook_subscriptions WHERE id = :subscription_id)
            ORDER BY a.id
            LIMIT (SELECT n FROM room)
        ) AS alerts
        ORDER BY id
        LIMIT (SELECT n FROM room)
    ), queued AS (
        INSERT INTO webhook_deliveries (subscription_id, change_id, next_attempt_at)
        SELECT :subscription_id, s.id, :now FROM scanned AS s
        WHERE {_MATCH.format(side="after")} OR {_MATCH.format(side="before")} OR {_ALERT_MATCH}
        ORDER BY s.id
        ON CONFLICT ON CONSTRAINT uq_webhook_delivery_once DO NOTHING
        RETURNING change_id
    )
    UPDATE webhook_subscriptions
    SET last_change_id = greatest(last_change_id, (SELECT coalesce(max(id), 0) FROM scanned))
    WHERE id = :subscription_id
    RETURNING (SELECT n FROM room) AS room, (SELECT count(*) FROM scanned) AS scanned,
              (SELECT count(*) FROM queued) AS queued
    """
)

# The oldest pending delivery of each live subscription, if it is due, leased until :lease_until so a
# second worker skips it (the recheck of next_attempt_at after the row lock makes the claim exclusive).
# Only the head is tried: a subscriber receives its changes in order, and a failing one waits alone.
CLAIM = text(
    """
    WITH heads AS (
        SELECT DISTINCT ON (d.subscription_id) d.id
        FROM webhook_deliveries AS d
        JOIN webhook_subscriptions AS w ON w.id = d.subscription_id AND w.removed_at IS NULL
        WHERE d.status = 'pending'
        ORDER BY d.subscription_id, d.change_id
    )
    UPDATE webhook_deliveries AS d
    SET next_attempt_at = :lease_until
    FROM heads
    WHERE d.id = heads.id AND d.status = 'pending' AND d.next_attempt_at <= :now
    RETURNING d.id, d.subscription_id, d.change_id, d.attempts
    """
)

RECORD = text(
    """
    UPDATE webhook_deliveries
    SET attempts = attempts + 1, status = :status, next_attempt_at = :next_attempt_at,
        last_status_code = :status_code, last_error = :error, delivered_at = :delivered_at
    WHERE id = :delivery_id
    """
)

# Per subscription: how many deliveries wait and how many died.
BACKLOG = text(
    """
    SELECT subscription_id,
           count(*) FILTER (WHERE status = 'pending') AS pending,
           count(*) FILTER (WHERE status = 'dead') AS dead
    FROM webhook_deliveries
    GROUP BY subscription_id
    """
)


def subscriptions(*, session: Session, include_removed: bool = False) -> list[WebhookSubscription]:
    """Subscriptions, oldest first (removed ones only when asked)."""
    query = select(WebhookSubscription).order_by(WebhookSubscription.id)
    if not include_removed:
        query = query.where(WebhookSubscription.removed_at.is_(None))
    return list(session.scalars(query))


def deliveries_of(*, session: Session, subscription_id: int, limit: int) -> list[WebhookDelivery]:
    """A subscription's delivery log, newest change first."""
    return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
                                .order_by(WebhookDelivery.change_id.desc()).limit(limit)))
