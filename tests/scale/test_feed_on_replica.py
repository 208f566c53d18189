"""The change feed read from a streaming replica while writers race on the primary: no change skipped or repeated.

Why it holds (docs/feeds.md): on the primary a change id is drawn only after every earlier change-writing
transaction has committed (an advisory lock taken before the id), so ids follow the order of commit records in
the WAL; a replica makes commits visible in WAL order, so a snapshot there that holds id N holds every id below it.
"""

from __future__ import annotations

import random
import threading
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import Station
from stations.services.feeds import feed
from tests.scale.cluster import Replicated
from tests.scale.conftest import app_settings
from tests.support import live_app
from tests.sync import replay, writes


def _writer(primary: sessionmaker[Session], adcode: str, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    mine: list[int] = []
    for _ in range(rounds):
        with primary() as session, session.begin():
            station = session.get(Station, rng.choice(mine)) if mine and rng.random() < 0.6 else None
            if station is None:
                mine.append(writes.create(session, adcode=adcode).id)
            elif station.deleted_at is not None:
                writes.restore(session, station)
            elif rng.random() < 0.3:
                writes.delete(session, station, reason=f"撤站 {seed}")
            else:
                writes.update(session, station, name=f"驿站 {rng.randrange(10**6)}")


def _read_until(base: str, done: threading.Event, got: list[dict[str, Any]]) -> None:
    since = 0
    with httpx.Client(base_url=base, timeout=10) as http:
        while True:
            finished = done.is_set()
            page = http.get("/api/v1/feed/changes", params={"since": since, "limit": 5}).json()
            got += page["data"]
            since = page["next_since"]
            if finished and not page["has_more"]:
                return


def test_a_feed_read_on_the_replica_replays_to_the_primary_registry(
    pair: Replicated, primary: sessionmaker[Session]
) -> None:
    done = threading.Event()
    got: list[dict[str, Any]] = []
    with live_app(app_settings(pair, replica_max_lag_seconds=600)) as base:
        reader = threading.Thread(target=_read_until, args=(base, done, got))
        reader.start()
        writers = [threading.Thread(target=_writer, args=(primary, adcode, 20, n))
                   for n, adcode in enumerate(("620102", "620103", "620104", "620105"))]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        pair.caught_up()  # the reader's last pages must come after the replica has every change
        done.set()
        reader.join(60)
        sessions = pair.sql(pair.replica, "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stations'")
        assert sessions[0][0] >= 1  # the feed's pages were read on the replica (nothing else here reads one)
    with primary() as session:
        expected = [entry.change_id for entry in feed.page(session=session, limit=1000).data]
        ids = [entry["change_id"] for entry in got]
        assert len(expected) == 80 and ids == expected  # in commit order, none repeated, none missing
        state: dict[int, dict[str, Any]] = {}
        replay.apply(state, got)
        assert state == replay.registry(session)
