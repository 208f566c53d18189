"""Racing writers and a change-feed reader, shared by the feed race tests on one server and on a replica."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import Station
from tests.sync import writes


def writer(sessions: sessionmaker[Session], adcode: str, rounds: int, seed: int, *, linger: float = 0.0) -> None:
    """`rounds` transactions creating, renaming, deleting or restoring this writer's stations, each lingering up to
    `linger` seconds between drawing its change id and committing."""
    rng = random.Random(seed)
    mine: list[int] = []
    for _ in range(rounds):
        with sessions() as session, session.begin():
            station = session.get(Station, rng.choice(mine)) if mine and rng.random() < 0.6 else None
            if station is None:
                mine.append(writes.create(session, adcode=adcode).id)
            elif station.deleted_at is not None:
                writes.restore(session, station)
            elif rng.random() < 0.3:
                writes.delete(session, station, reason=f"撤站 {seed}")
            else:
                writes.update(session, station, name=f"驿站 {rng.randrange(10**6)}")
            if linger:
                time.sleep(rng.uniform(0, linger))


def read_until(base: str, done: threading.Event, got: list[dict[str, Any]], *, limit: int) -> None:
    """Follow the feed page by page into `got` until `done` is set and a page says nothing more is there."""
    since = 0
    with httpx.Client(base_url=base, timeout=10) as http:
        while True:
            finished = done.is_set()
            page = http.get("/api/v1/feed/changes", params={"since": since, "limit": limit}).json()
            got += page["data"]
            since = page["next_since"]
            if finished and not page["has_more"]:
                return
