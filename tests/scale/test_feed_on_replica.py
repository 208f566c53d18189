"""The change feed read from a streaming replica while writers race on the primary: no change skipped or repeated.

Why it holds (docs/feeds.md): on the primary a change id is drawn only after every earlier change-writing
transaction has committed (an advisory lock taken before the id), so ids follow the order of commit records in
the WAL; a replica makes commits visible in WAL order, so a snapshot there that holds id N holds every id below it.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from stations.services.feeds import feed
from tests.scale.cluster import Replicated
from tests.scale.conftest import app_settings
from tests.support import live_app
from tests.sync import racing, replay


def test_a_feed_read_on_the_replica_replays_to_the_primary_registry(
    pair: Replicated, primary: sessionmaker[Session]
) -> None:
    done = threading.Event()
    got: list[dict[str, Any]] = []
    with live_app(app_settings(pair, replica_max_lag_seconds=600)) as base:
        reader = threading.Thread(target=racing.read_until, kwargs={"limit": 5}, args=(base, done, got))
        reader.start()
        writers = [threading.Thread(target=racing.writer, args=(primary, adcode, 20, n))
                   for n, adcode in enumerate(("620102", "620103", "620104", "620105"))]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        pair.caught_up()  # the reader's last pages must come after the replica has every change
        done.set()
        reader.join(60)
        sessions = pair.sql(pair.replica,
                            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stations-pages'")
        assert sessions[0][0] >= 1  # the feed's pages were read on the replica (nothing else here reads one)
    with primary() as session:
        expected = [entry.change_id for entry in feed.page(session=session, limit=1000).data]
        ids = [entry["change_id"] for entry in got]
        assert len(expected) == 80 and ids == expected  # in commit order, none repeated, none missing
        state: dict[int, dict[str, Any]] = {}
        replay.apply(state, got)
        assert state == replay.registry(session)
