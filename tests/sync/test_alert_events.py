"""Weather alerts as a separate event type (issue 24): in the change feed when asked for, in commit order with
station changes under one cursor, and pushed to the webhook subscribers that asked for alerts in their region."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import WeatherAlert
from stations.hours import SHANGHAI
from stations.schemas.alerts import AlertCreate
from stations.services.alerts import issuing
from stations.services.feeds import feed, webhooks
from stations.services.feeds.webhooks_guard import Guard
from stations.weather import AlertType, Level
from tests.sync import writes
from tests.sync.receiver import receiving
from tests.sync.test_webhooks import LOCAL, SECRET, _run

T = TypeVar("T")
START = datetime(2026, 7, 20, 10, 0, tzinfo=SHANGHAI)


def _tx(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    with sessions() as session, session.begin():
        return work(session)


def _alert(session: Session, areas: list[str]) -> WeatherAlert:
    data = AlertCreate(alert_type=AlertType.HEAT, level=Level.ORANGE, areas=areas, starts_at=START,
                       ends_at=START.replace(day=21), headline="高温橙色预警")
    return issuing.issue(session=session, data=data, actor="test", scope="")


def test_alerts_are_a_separate_event_type_of_the_feed_in_commit_order(live_sessions: sessionmaker[Session]) -> None:
    first = _tx(live_sessions, writes.create)
    alert = _tx(live_sessions, lambda s: _alert(s, ["620000"]))
    second = _tx(live_sessions, writes.create)
    stations_only = _tx(live_sessions, lambda s: feed.page(session=s))
    assert [e.station_id for e in stations_only.data] == [first.id, second.id]
    both = _tx(live_sessions, lambda s: feed.page(session=s, events=("station", "alert")))
    assert [(e.event, e.station_id or e.alert_id) for e in both.data] == [
        ("station", first.id), ("alert", alert.id), ("station", second.id)]
    event = both.data[1]
    assert event.action == "issue" and event.alert is not None and event.alert["title"] == "高温橙色预警"
    after_alert = _tx(live_sessions, lambda s: feed.page(session=s, since=event.change_id, events=("alert",)))
    assert after_alert.count == 0 and after_alert.next_since == event.change_id
    assert _tx(live_sessions, lambda s: feed.head(session=s)) == both.data[-1].change_id


def test_webhooks_carry_alerts_to_subscribers_who_asked_in_their_region(live_sessions: sessionmaker[Session]) -> None:
    def subscribe(url: str, **filters: Any) -> int:
        return _tx(live_sessions, lambda s: webhooks.create(session=s, url=url, secret=SECRET, guard=Guard(LOCAL),
                                                            **filters).id)

    with receiving(SECRET) as lanzhou, receiving(SECRET) as beijing, receiving(SECRET) as stations_only:
        subscribe(lanzhou.url, region="620102", alerts=True)  # a county inside the province's alert
        subscribe(beijing.url, region="110000", alerts=True)
        subscribe(stations_only.url)
        alert = _tx(live_sessions, lambda s: _alert(s, ["620000"]))
        station = _tx(live_sessions, writes.create)
        _run(live_sessions)
    assert [(p.entry["event"], p.entry["alert_id"] or p.entry["station_id"]) for p in lanzhou.posts] == [
        ("alert", alert.id), ("station", station.id)]
    assert all(p.signature_ok for p in lanzhou.posts)
    assert beijing.posts == []
    assert [p.entry["event"] for p in stations_only.posts] == ["station"]
