"""Webhook delivery: station_changes is the outbox, each subscription reads it with its own cursor.

Nothing here runs inside a station write. A run repeats rounds until nothing is due: (1) move each
subscription's cursor over new changes, queueing a `webhook_deliveries` row for each one its filter
matches (cursor and rows in one statement, so a change is queued once and never skipped: ids follow
commit order, see services/feeds/feed.py; at most `pending_window` wait per subscription, so the queue stays
small however far behind a subscriber is), and claim the oldest due delivery of every subscription
with a lease; (2) POST them in parallel with no transaction open, and record each outcome in its own
short transaction. A failure is retried after
`backoff * 2**(attempt-1)`; after `max_attempts` the delivery is `dead` and the subscription moves on.
A subscriber sees its changes in order; a failing one waits alone while the others keep flowing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

import httpx
from sqlalchemy.orm import Session, sessionmaker

from stations import __version__
from stations.db import webhook_queries
from stations.db.models import WebhookSubscription
from stations.db.webhook_queries import CLAIM, ENQUEUE, RECORD
from stations.regions import region_prefix
from stations.services.feeds import feed
from stations.services.feeds.webhooks_guard import Guard, GuardedTransport, Resolver, WebhookRefused
from stations.settings import Settings

log = logging.getLogger(__name__)

ENQUEUE_BATCH = 500
PARALLEL_POSTS = 8
ERROR_CHARS = 300

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time in UTC (the default clock; tests pass their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Policy:
    """How hard to try: attempts before giving up, first retry delay (doubling), per-POST timeout, and the
    networks allowed besides public addresses (none by default; see webhooks_guard)."""

    max_attempts: int = 8
    backoff_seconds: float = 30.0
    timeout_seconds: float = 10.0
    pending_window: int = 100
    allow_networks: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        """The policy configured by STATIONS_WEBHOOK_* settings."""
        return cls(settings.webhook_max_attempts, settings.webhook_backoff_seconds, settings.webhook_timeout_seconds,
                   allow_networks=settings.webhook_allow_networks)

    def retry_delay(self, attempt: int) -> timedelta:
        """Wait after failed attempt number `attempt` (1-based): backoff, 2x, 4x..."""
        return timedelta(seconds=self.backoff_seconds * 2 ** (attempt - 1))

    def lease(self) -> timedelta:
        """How long a claimed delivery stays hidden from other workers (a crashed worker's claim expires)."""
        return timedelta(seconds=self.timeout_seconds * 3 + 30)


@dataclass(frozen=True)
class Message:
    """One POST to make: the delivery, where to, with which secret, and the feed entry as JSON bytes."""

    delivery_id: int
    change_id: int
    attempt: int
    url: str
    secret: str
    body: bytes


@dataclass(frozen=True)
class Outcome:
    """What one POST gave: the HTTP status (None if none came back), a short error admins see (never what the
    other side sent), how long it took, and the detail for our log."""

    status_code: int | None
    error: str | None
    duration_ms: int
    log_detail: str | None = None

    @property
    def ok(self) -> bool:
        """True for any 2xx reply."""
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass
class Summary:
    """What a run did: changes queued, POSTs that succeeded, failed (to retry) and gave up (dead)."""

    queued: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The X-Stations-Signature value: `sha256=` + hex HMAC-SHA256 of `{timestamp}.{body}`."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def enqueue(*, session: Session, now: datetime, window: int, batch: int = ENQUEUE_BATCH) -> int:
    """Queue new changes each live subscription's filter matches, up to `window` pending; returns how many."""
    queued = 0
    for subscription in webhook_queries.subscriptions(session=session):
        params = {"subscription_id": subscription.id, "now": now, "batch": batch, "window": window,
                  "prefix": region_prefix(subscription.region), "kinds": list(subscription.kinds),
                  "alerts": subscription.alerts}
        while True:
            row = session.execute(ENQUEUE, params).one()
            queued += row.queued
            if row.scanned == 0 or row.scanned < row.room:
                break
    return queued


def claim(*, session: Session, now: datetime, policy: Policy) -> list[Message]:
    """Lease the oldest due delivery of each live subscription and build its POST."""
    messages = []
    for row in session.execute(CLAIM, {"now": now, "lease_until": now + policy.lease()}).all():
        subscription = session.get_one(WebhookSubscription, row.subscription_id)
        entry = feed.page(session=session, since=row.change_id - 1, limit=1, events=feed.EVENTS).data[0]
        messages.append(
            Message(row.id, row.change_id, row.attempts + 1, subscription.url, subscription.secret,
                    entry.model_dump_json().encode("utf-8"))
        )
    return messages


def post(*, client: httpx.Client, message: Message, now: datetime) -> Outcome:
    """POST one signed message; never raises for network trouble (it becomes the outcome's error)."""
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"stations-webhooks/{__version__}",
        "X-Stations-Timestamp": str(timestamp),
        "X-Stations-Signature": sign(secret=message.secret, timestamp=timestamp, body=message.body),
        "X-Stations-Delivery": str(message.delivery_id),
        "X-Stations-Change": str(message.change_id),
        "X-Stations-Attempt": str(message.attempt),
    }
    started = time.perf_counter()
    try:
        reply = client.post(message.url, content=message.body, headers=headers)
    except httpx.HTTPError as exc:
        refused = exc.__cause__ if isinstance(exc.__cause__, WebhookRefused) else None
        reason = refused.message if refused else type(exc).__name__
        return Outcome(None, reason[:ERROR_CHARS], _elapsed_ms(started), log_detail=repr(exc)[:ERROR_CHARS])
    error = None if 200 <= reply.status_code < 300 else f"HTTP {reply.status_code} {_phrase(reply.status_code)}"
    return Outcome(reply.status_code, error.strip() if error else None, _elapsed_ms(started))


def _phrase(status: int) -> str:
    """The standard reason phrase of a status code ('' for unknown ones), never the one the server sent."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _elapsed_ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def record(*, session: Session, message: Message, outcome: Outcome, policy: Policy, now: datetime) -> str:
    """Store the attempt's outcome and schedule the retry; returns the new status."""
    if outcome.ok:
        status, next_at, delivered_at = "delivered", now, now
    elif message.attempt >= policy.max_attempts:
        status, next_at, delivered_at = "dead", now, None
    else:
        status, next_at, delivered_at = "pending", now + policy.retry_delay(message.attempt), None
    session.execute(
        RECORD,
        {"delivery_id": message.delivery_id, "status": status, "next_attempt_at": next_at,
         "status_code": outcome.status_code, "error": outcome.error, "delivered_at": delivered_at},
    )
    log.info(
        "webhook_attempt",
        extra={"delivery_id": message.delivery_id, "change_id": message.change_id, "attempt": message.attempt,
               "url": message.url, "status": status, "status_code": outcome.status_code,
               "error": outcome.log_detail or outcome.error,
               "duration_ms": outcome.duration_ms, "next_attempt_at": next_at.isoformat()},
    )
    return status


def run_once(
    *, sessions: sessionmaker[Session], policy: Policy, clock: Clock = utcnow, client: httpx.Client | None = None,
    resolver: Resolver | None = None,
) -> Summary:
    """Queue and deliver in rounds until no subscription has a due delivery left; returns the tally.

    POSTs go through a GuardedTransport (each host resolved by `resolver`, default the system's, and checked
    again before connecting); redirects are not followed.
    """
    summary = Summary()
    own_client = client is None
    guard = Guard(policy.allow_networks, resolver)
    http = client or httpx.Client(transport=GuardedTransport(guard), timeout=policy.timeout_seconds,
                                  follow_redirects=False)
    try:
        with ThreadPoolExecutor(max_workers=PARALLEL_POSTS) as pool:
            while messages := _claim_round(sessions, policy, clock, summary):
                list(pool.map(lambda m: _deliver(sessions, http, m, policy, clock, summary), messages))
    finally:
        if own_client:
            http.close()
    return summary


def _claim_round(sessions: sessionmaker[Session], policy: Policy, clock: Clock, summary: Summary) -> list[Message]:
    """One short transaction that tops up the queues and leases the due heads."""
    with sessions() as session, session.begin():
        summary.queued += enqueue(session=session, now=clock(), window=policy.pending_window)
        return claim(session=session, now=clock(), policy=policy)


def _deliver(
    sessions: sessionmaker[Session], http: httpx.Client, message: Message, policy: Policy, clock: Clock,
    summary: Summary,
) -> None:
    """POST with no transaction open, then record the outcome in a short one."""
    outcome = post(client=http, message=message, now=clock())
    with sessions() as session, session.begin():
        status = record(session=session, message=message, outcome=outcome, policy=policy, now=clock())
    with summary.lock:
        if status == "delivered":
            summary.delivered += 1
        elif status == "dead":
            summary.dead += 1
        else:
            summary.failed += 1


def run_forever(
    *, sessions: sessionmaker[Session], policy: Policy, poll_seconds: float, stop: threading.Event,
) -> None:
    """Run, wait `poll_seconds`, repeat until `stop` is set; a failed run is logged and retried."""
    while not stop.is_set():
        try:
            summary = run_once(sessions=sessions, policy=policy)
            if summary.queued or summary.delivered or summary.failed or summary.dead:
                log.info("webhook_run", extra={"queued": summary.queued, "delivered": summary.delivered,
                                               "failed": summary.failed, "dead": summary.dead})
        except Exception:
            log.exception("webhook_run_failed")
        stop.wait(poll_seconds)


def start_webhook_worker(settings: Settings, sessions: sessionmaker[Session]) -> Callable[[], None]:
    """Deliver from a thread of this process when STATIONS_WEBHOOK_WORKER_IN_APP is on; returns the stopper."""
    if not settings.webhook_worker_in_app:
        return lambda: None
    stop = threading.Event()
    worker = threading.Thread(
        target=run_forever, name="webhooks", daemon=True,
        kwargs={"sessions": sessions, "policy": Policy.from_settings(settings),
                "poll_seconds": settings.webhook_poll_seconds, "stop": stop},
    )
    worker.start()

    def stopper() -> None:
        stop.set()
        worker.join(timeout=settings.webhook_timeout_seconds + 5)

    return stopper
