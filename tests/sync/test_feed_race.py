"""The feed under racing writers, on real commits: no change skipped or repeated, replay == registry."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from stations.reference import Kind
from stations.services.feeds import feed
from tests.sync import racing, replay, writes


def _ids(sessions: sessionmaker[Session]) -> list[int]:
    with sessions() as session:
        return [e.change_id for e in feed.page(session=session, limit=1000).data]


def _waiting_on_advisory_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                    .scalar_one())


def _late_writer(sessions: sessionmaker[Session], started: threading.Event) -> threading.Thread:
    def run() -> None:
        with sessions() as session, session.begin():
            started.set()
            writes.create(session, kind=Kind.MOTHERS_ROOM, amenities=[])

    thread = threading.Thread(target=run)
    thread.start()
    started.wait(5)
    return thread


@contextmanager
def _trigger_disabled(engine: Engine) -> Iterator[None]:
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE station_changes DISABLE TRIGGER station_changes_serialise"))
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE station_changes ENABLE TRIGGER station_changes_serialise"))


def _early_id_commits_last(sessions: sessionmaker[Session], engine: Engine) -> tuple[list[int], list[int]]:
    """Writer A draws a change id and lingers; writer B writes after it; a reader looks in between."""
    with sessions() as a, a.begin():
        writes.create(a)
        late = _late_writer(sessions, threading.Event())
        deadline = time.monotonic() + 5
        while late.is_alive() and not _waiting_on_advisory_lock(engine) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
        seen_before_a_commits = _ids(sessions)
    late.join(5)
    return seen_before_a_commits, _ids(sessions)


def test_a_later_writer_waits_so_the_reader_never_skips(
    live_sessions: sessionmaker[Session], live_engine: Engine
) -> None:
    during, after = _early_id_commits_last(live_sessions, live_engine)
    assert during == []  # B could not draw an id past A's uncommitted one
    assert len(after) == 2 and after == sorted(after)


def test_without_the_lock_the_reader_would_skip(live_sessions: sessionmaker[Session], live_engine: Engine) -> None:
    with _trigger_disabled(live_engine):
        during, after = _early_id_commits_last(live_sessions, live_engine)
    assert len(during) == 1 and min(after) < during[0]  # the reader's cursor is already past A's id


@pytest.mark.parametrize("seed", [1, 2])
def test_racing_writers_and_a_reader_replay_to_the_registry(
    live_sessions: sessionmaker[Session], live_server: str, seed: int
) -> None:
    done = threading.Event()
    got: list[dict[str, Any]] = []
    reader = threading.Thread(target=racing.read_until, kwargs={"limit": 7}, args=(live_server, done, got))
    reader.start()
    threads = [
        threading.Thread(target=racing.writer, kwargs={"linger": 0.01}, args=(live_sessions, adcode, 30, seed * 10 + n))
        for n, adcode in enumerate(("620102", "620103", "620104", "620105"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    reader.join(30)
    ids = [entry["change_id"] for entry in got]
    assert ids == sorted(set(ids)) == _ids(live_sessions)  # in order, none repeated, none missing
    state: dict[int, dict[str, Any]] = {}
    replay.apply(state, got)
    with live_sessions() as session:
        assert state == replay.registry(session)
