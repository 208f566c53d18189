"""The change feed service: every write once, in order, tombstones with reasons, public fields only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy.orm import Session

from stations.db.models import ChangeAction
from stations.schemas.alerts import AlertCreate
from stations.services.alerts import issuing
from stations.services.feeds import feed
from stations.weather import AlertType, Level
from tests.support import awaited, session_reads
from tests.sync import replay, writes


def test_feed_lists_create_update_delete_restore_in_order(session: Session) -> None:
    start = feed.head(session=session)
    station = writes.create(session)
    writes.update(session, station, name="改名后的驿站")
    writes.delete(session, station, reason="站点已撤并")
    writes.restore(session, station)
    page = feed.page(session=session, since=start)
    assert [e.action for e in page.data] == [
        ChangeAction.CREATE, ChangeAction.UPDATE, ChangeAction.DELETE, ChangeAction.RESTORE
    ]
    assert [e.change_id for e in page.data] == sorted(e.change_id for e in page.data)
    assert page.data[1].feature is not None
    assert page.data[1].feature["properties"]["name"] == "改名后的驿站"
    tombstone = page.data[2]
    assert (tombstone.deleted, tombstone.feature, tombstone.reason) == (True, None, "站点已撤并")
    assert page.next_since == page.data[-1].change_id and not page.has_more


def test_a_request_gets_the_page_the_model_writes(session: Session) -> None:
    """The feed writes pages itself (each change's stored JSON copied in): read as `FeedPage` and written by it
    again, the page is the same document (no key the schema lacks, no value written otherwise), for creates,
    updates, tombstones with reasons and weather alerts, and at a page's end."""
    start = feed.head(session=session)
    station = writes.create(session)
    writes.update(session, station, name="改名后的驿站")
    writes.delete(session, station, reason="站点已撤并")
    issuing.issue(session=session, actor="test", scope="", data=AlertCreate(
        alert_type=AlertType.HEAT, level=Level.ORANGE, areas=["620000"], headline="高温橙色预警",
        starts_at=datetime(2026, 7, 20, 10, tzinfo=UTC), ends_at=datetime(2026, 7, 21, 10, tzinfo=UTC)))
    for since, limit in ((start, 100), (start, 2), (start + 2, 1)):
        for events in (("station",), ("station", "alert"), ("alert",)):
            model = feed.page(session=session, since=since, limit=limit, events=events)
            written = awaited(feed.read_page(reads=session_reads(session), since=since, limit=limit,
                                             events=events))
            assert orjson.loads(written.body) == orjson.loads(model.model_dump_json())
            assert (written.count, written.next_since, written.has_more) == (model.count, model.next_since,
                                                                             model.has_more)
    assert any(e.event == "alert" for e in feed.page(session=session, since=start, events=feed.EVENTS).data)


def test_entries_carry_public_fields_only(session: Session) -> None:
    start = feed.head(session=session)
    writes.create(session)
    entry = feed.page(session=session, since=start).data[0].model_dump()
    assert "actor" not in entry and "before" not in entry
    assert entry["feature"]["type"] == "Feature"


def test_paging_resumes_exactly_where_it_stopped(session: Session) -> None:
    start = feed.head(session=session)
    for _ in range(7):
        writes.create(session)
    seen: list[int] = []
    since = start
    while True:
        page = feed.page(session=session, since=since, limit=3)
        seen += [e.change_id for e in page.data]
        since = page.next_since
        if not page.has_more:
            break
    assert len(seen) == 7 == len(set(seen))
    assert feed.page(session=session, since=since).data == []


def test_modified_since_filters_by_change_time(session: Session) -> None:
    start = feed.head(session=session)
    writes.create(session)
    assert feed.page(session=session, since=start, modified_since=datetime.now(UTC) + timedelta(hours=1)).data == []
    past = datetime.now(UTC) - timedelta(hours=1)
    assert feed.page(session=session, since=start, modified_since=past).count == 1


def test_replay_from_zero_equals_the_registry(session: Session) -> None:
    kept = writes.create(session)
    gone = writes.create(session, name="将被删除的驿站")
    writes.update(session, kept, phone="0931-1234567")
    writes.delete(session, gone, reason="重复登记")
    back = writes.create(session)
    writes.delete(session, back, reason="暂时撤下")
    writes.restore(session, back)
    state: dict[int, dict[str, object]] = {}
    replay.apply(state, [e.model_dump(mode="json") for e in feed.page(session=session, limit=1000).data])
    assert state == replay.registry(session)
