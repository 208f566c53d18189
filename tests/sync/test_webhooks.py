"""Webhook delivery on real commits: signed POSTs of feed entries, filters, backoff, a cursor that never slips."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import Station, WebhookDelivery, WebhookSubscription
from stations.reference import Kind
from stations.services.feeds import feed, webhooks
from stations.services.feeds.webhooks_delivery import Policy, Summary, run_once
from stations.services.feeds.webhooks_guard import Guard
from tests.sync import replay, writes
from tests.sync.receiver import HANG, closed_port_url, receiving

T = TypeVar("T")
SECRET = "test-secret-0123456789"
T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LOCAL = ("127.0.0.0/8",)
"""Receivers listen on 127.0.0.1, which webhooks refuse unless allowed (STATIONS_WEBHOOK_ALLOW_NETWORKS)."""
POLICY = Policy(max_attempts=8, backoff_seconds=30.0, timeout_seconds=5.0, allow_networks=LOCAL)
BEIJING: dict[str, Any] = {"adcode": "110101", "address": "北京市东城区示例路1号", "lon": 116.41, "lat": 39.91}


class Clock:
    """A clock the test moves by hand, so backoff is checked without waiting."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def _tx(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    with sessions() as session, session.begin():
        return work(session)


def _subscribe(sessions: sessionmaker[Session], url: str, **filters: Any) -> int:
    return _tx(sessions, lambda s: webhooks.create(session=s, url=url, secret=SECRET, guard=Guard(LOCAL), **filters).id)


def _log(sessions: sessionmaker[Session], subscription_id: int) -> list[WebhookDelivery]:
    return _tx(sessions, lambda s: list(s.scalars(
        select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
        .order_by(WebhookDelivery.change_id)
    )))


def _run(sessions: sessionmaker[Session], clock: Clock | None = None, policy: Policy = POLICY) -> Summary:
    return run_once(sessions=sessions, policy=policy, clock=clock or Clock())


def test_one_change_is_one_signed_post_of_its_feed_entry(live_sessions: sessionmaker[Session]) -> None:
    with receiving(SECRET) as receiver:
        sub = _subscribe(live_sessions, receiver.url)
        station = _tx(live_sessions, writes.create)
        assert _run(live_sessions).delivered == 1
        assert _run(live_sessions).delivered == 0  # nothing twice
    [post] = receiver.posts
    assert post.signature_ok and post.headers["Content-Type"] == "application/json"
    entry = _tx(live_sessions, lambda s: feed.page(session=s).data[0])
    assert post.entry == entry.model_dump(mode="json") and post.entry["feature"]["id"] == station.id
    [delivery] = _log(live_sessions, sub)
    assert post.headers["X-Stations-Delivery"] == str(delivery.id)
    assert (delivery.change_id, delivery.status, delivery.attempts, delivery.last_status_code) == (
        entry.change_id, "delivered", 1, 200)


def test_filters_by_region_and_kind(live_sessions: sessionmaker[Session]) -> None:
    with receiving(SECRET) as gansu, receiving(SECRET) as rooms, receiving(SECRET) as beijing_outdoor:
        _subscribe(live_sessions, gansu.url, region="620000")
        _subscribe(live_sessions, rooms.url, kinds=["mothers_room"])
        _subscribe(live_sessions, beijing_outdoor.url, region="110000", kinds=["outdoor_station"])
        lanzhou = _tx(live_sessions, writes.create)
        room = _tx(live_sessions, lambda s: writes.create(s, kind=Kind.MOTHERS_ROOM, amenities=[]))
        capital = _tx(live_sessions, lambda s: writes.create(s, **BEIJING))
        _tx(live_sessions, lambda s: writes.delete(s, capital, reason="closed for good"))
        _run(live_sessions)
    assert [p.entry["station_id"] for p in gansu.posts] == [lanzhou.id, room.id]
    assert [p.entry["station_id"] for p in rooms.posts] == [room.id]
    assert [(p.entry["station_id"], p.entry["deleted"]) for p in beijing_outdoor.posts] == [
        (capital.id, False), (capital.id, True)]  # the tombstone matches on the station as it was


def test_500_twice_then_200_is_delivered_on_the_third_attempt(live_sessions: sessionmaker[Session]) -> None:
    clock = Clock()
    with receiving(SECRET, replies=[500, 500]) as receiver:
        sub = _subscribe(live_sessions, receiver.url)
        _tx(live_sessions, writes.create)
        assert _run(live_sessions, clock).failed == 1
        [first] = _log(live_sessions, sub)
        assert (first.status, first.attempts, first.last_status_code) == ("pending", 1, 500)
        assert first.next_attempt_at == T0 + timedelta(seconds=30)
        clock.now = T0 + timedelta(seconds=29)
        assert _run(live_sessions, clock).failed == 0 and len(receiver.posts) == 1  # not due yet
        clock.now = T0 + timedelta(seconds=30)
        assert _run(live_sessions, clock).failed == 1
        [second] = _log(live_sessions, sub)
        assert second.attempts == 2 and second.next_attempt_at == clock.now + timedelta(seconds=60)  # doubled
        clock.now += timedelta(seconds=60)
        assert _run(live_sessions, clock).delivered == 1
    [done] = _log(live_sessions, sub)
    assert (done.status, done.attempts, done.last_status_code, done.last_error) == ("delivered", 3, 200, None)
    assert [p.headers["X-Stations-Attempt"] for p in receiver.posts] == ["1", "2", "3"]
    assert {p.headers["X-Stations-Delivery"] for p in receiver.posts} == {str(done.id)}  # one id to dedupe on
    assert all(p.signature_ok for p in receiver.posts)


def test_a_failing_subscriber_waits_alone_then_gives_up(live_sessions: sessionmaker[Session]) -> None:
    policy = Policy(max_attempts=2, backoff_seconds=30.0, timeout_seconds=5.0, allow_networks=LOCAL)
    clock = Clock()
    with receiving(SECRET, replies=[503, 503]) as failing, receiving(SECRET) as healthy:
        stuck, fine = _subscribe(live_sessions, failing.url), _subscribe(live_sessions, healthy.url)
        for _ in range(2):
            _tx(live_sessions, writes.create)
        summary = _run(live_sessions, clock, policy)
        assert (summary.delivered, summary.failed) == (2, 1) and len(healthy.posts) == 2
        assert [(d.status, d.attempts) for d in _log(live_sessions, stuck)] == [("pending", 1), ("pending", 0)]
        clock.now += timedelta(seconds=30)
        summary = _run(live_sessions, clock, policy)  # second failure: dead, and the next change goes through
    assert (summary.dead, summary.delivered) == (1, 1)
    assert [(d.status, d.attempts) for d in _log(live_sessions, stuck)] == [("dead", 2), ("delivered", 1)]
    assert all(d.status == "delivered" for d in _log(live_sessions, fine))


def test_a_dead_or_hanging_endpoint_never_blocks_a_write(live_sessions: sessionmaker[Session]) -> None:
    dead = _subscribe(live_sessions, closed_port_url())
    with receiving(SECRET, replies=[HANG]) as hanging:
        _subscribe(live_sessions, hanging.url)
        _tx(live_sessions, writes.create)
        worker = threading.Thread(target=_run, args=(live_sessions,))
        worker.start()
        assert hanging.got_request.wait(10), "the worker never reached the hanging endpoint"
        with live_sessions() as session, session.begin():  # while a POST hangs, a write commits
            session.execute(text("SET LOCAL lock_timeout = '5s'"))
            later = writes.create(session, name="挂起时写入的驿站")
        assert worker.is_alive()  # the POST is still hanging, and the write has committed
        hanging.release.set()
        worker.join(30)
    assert _tx(live_sessions, lambda s: s.get_one(Station, later.id).name) == "挂起时写入的驿站"
    refused = _log(live_sessions, dead)[0]
    assert (refused.status, refused.attempts, refused.last_status_code) == ("pending", 1, None)
    assert refused.last_error and "ConnectError" in refused.last_error


def test_cursor_never_skips_or_repeats_while_writers_race(live_sessions: sessionmaker[Session]) -> None:
    with receiving(SECRET) as receiver:
        sub = _subscribe(live_sessions, receiver.url)

        def writer() -> None:
            for i in range(8):
                station = _tx(live_sessions, writes.create)
                station = _tx(live_sessions, lambda s, st=station, n=i: writes.update(s, st, name=f"改名驿站{n}"))
                if i % 3 == 0:
                    _tx(live_sessions, lambda s, st=station: writes.delete(s, st, reason="merged"))

        threads = [threading.Thread(target=writer) for _ in range(3)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            _run(live_sessions)
        _run(live_sessions)
        _run(live_sessions)
    head = _tx(live_sessions, lambda s: feed.head(session=s))
    assert [p.entry["change_id"] for p in receiver.posts] == list(range(1, head + 1))
    state: dict[int, dict[str, Any]] = {}
    replay.apply(state, [p.entry for p in receiver.posts])
    assert state == _tx(live_sessions, replay.registry)
    assert _tx(live_sessions, lambda s: s.get_one(WebhookSubscription, sub).last_change_id) == head


def test_a_subscriber_far_behind_keeps_a_small_queue(live_sessions: sessionmaker[Session]) -> None:
    policy = Policy(max_attempts=8, backoff_seconds=30.0, timeout_seconds=5.0, pending_window=2, allow_networks=LOCAL)
    dead = _subscribe(live_sessions, closed_port_url())
    with receiving(SECRET) as receiver:
        _subscribe(live_sessions, receiver.url)
        for _ in range(5):
            _tx(live_sessions, writes.create)
        assert _run(live_sessions, policy=policy).delivered == 5  # the window refills round after round
    assert [p.entry["change_id"] for p in receiver.posts] == [1, 2, 3, 4, 5]
    assert [d.change_id for d in _log(live_sessions, dead)] == [1, 2]
    assert _tx(live_sessions, lambda s: s.get_one(WebhookSubscription, dead).last_change_id) == 2


def test_new_subscribers_start_at_the_head_and_removed_ones_hear_nothing(
    live_sessions: sessionmaker[Session],
) -> None:
    _tx(live_sessions, writes.create)
    with receiving(SECRET) as receiver:
        sub = _subscribe(live_sessions, receiver.url)
        second = _tx(live_sessions, writes.create)
        _run(live_sessions)
        _tx(live_sessions, lambda s: webhooks.remove(session=s, subscription_id=sub))
        _tx(live_sessions, writes.create)
        _run(live_sessions)
    assert [p.entry["station_id"] for p in receiver.posts] == [second.id]


def test_the_app_can_deliver_from_a_background_thread_when_enabled(
    live_sessions: sessionmaker[Session], live_database_url: str,
) -> None:
    from stations.services.feeds.webhooks_delivery import start_webhook_worker
    from stations.settings import Settings

    off = Settings(database_url=live_database_url)
    assert not off.webhook_worker_in_app  # default: only `stations webhooks deliver` delivers
    settings = Settings(database_url=live_database_url, webhook_worker_in_app=True, webhook_poll_seconds=0.05,
                        webhook_allow_networks=LOCAL)
    with receiving(SECRET) as receiver:
        _subscribe(live_sessions, receiver.url)
        stop = start_webhook_worker(settings, live_sessions)
        try:
            _tx(live_sessions, writes.create)
            assert receiver.got_request.wait(10), "the background worker delivered nothing"
        finally:
            stop()
    assert receiver.posts[0].signature_ok
