"""The one bulk writer of the registry, shared by seeding and import: stations built as for a single write,
inserted with COPY a batch at a time, each with its listings, its sign code and its create change.

Each batch gets its ids, sign codes and sites here (the database allocates them, in batch order); its rows are
then built (`bulk_rows.build`), by builder processes for large writes, while this process streams the batches
before it to PostgreSQL. Everything is written in the caller's transaction, in batch order: the rows are the same
whoever built them."""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from multiprocessing import get_context
from typing import Any, TypeVar

from sqlalchemy import Connection

from stations.db import bulk
from stations.reference import Kind
from stations.services.registry.bulk_rows import Batch, Draft, build, builder_started, gc_paused
from stations.services.registry.signcodes import format_sign_code

__all__ = ["Draft", "NewStation", "builders_for", "gc_paused", "insert", "prefetched", "write"]

T = TypeVar("T")
BUILDERS_FROM = 20_000
"""Writes of fewer stations build their rows in this process (starting a builder costs about a second)."""


@dataclass
class NewStation:
    """A station to insert: its draft (an empty `sign_code` gets a new one) and the site it opens (by key, created
    once per batch) unless its values hold a `site_id`."""

    draft: Draft
    site_key: Hashable | None = None
    site_name: str | None = None


def builders_for(rows: int) -> int:
    """How many builder processes a write of `rows` stations uses: none when small or on one core, else 2 (with this
    process and PostgreSQL that fills 2 cores; more would only contend)."""
    cores = os.cpu_count() or 1
    return 0 if rows < BUILDERS_FROM or cores < 2 else 2


def insert(*, connection: Connection, items: Sequence[NewStation], actor: str, reason: str,
           progress: Callable[[int], None] | None = None, batch_size: int = 5000,
           builders: int | None = None) -> list[int]:
    """Insert `items` in batches in the caller's transaction; returns the new station ids in order.

    A batch never splits a site: keep a site's stations next to each other."""
    return write(connection=connection, batches=_split(items, batch_size), actor=actor, reason=reason,
                 progress=progress, builders=builders_for(len(items)) if builders is None else builders)


def write(*, connection: Connection, batches: Iterable[Sequence[NewStation]], actor: str, reason: str,
          progress: Callable[[int], None] | None = None, builders: int = 0) -> list[int]:
    """Insert each batch (none splitting a site) in the caller's transaction, rows built by `builders` processes
    (0: here); returns the new station ids in order. `progress` is called after each batch with its size."""
    ids: list[int] = []
    with gc_paused(), _pool(builders) as pool:
        pending: deque[tuple[int, list[tuple[Any, ...]], Future[tuple[bytes, bytes, bytes]]]] = deque()
        for batch in batches:
            ready, sites = _prepare(connection, batch, actor=actor, reason=reason)
            ids.extend(d.values["id"] for d in ready.drafts)
            pending.append((len(batch), sites, pool.submit(build, ready) if pool else _done(build(ready))))
            while len(pending) > builders:  # the builders busy with the next batches while this one is written
                _copy(connection, *pending.popleft(), progress=progress)
        while pending:
            _copy(connection, *pending.popleft(), progress=progress)
    return ids


def prefetched(items: Iterator[T]) -> Iterator[T]:
    """Yield `items`, making the next one in a thread while this one is written (the writer mostly waits on
    PostgreSQL, with the GIL released): pass `write` batches made this way when making them costs."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(next, items, None)
        while (item := upcoming.result()) is not None:
            upcoming = pool.submit(next, items, None)
            yield item


@contextmanager
def _pool(builders: int) -> Iterator[ProcessPoolExecutor | None]:
    """Builder processes (spawned: never a fork of a process holding connections and threads), or None."""
    if builders == 0:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=builders, mp_context=get_context("spawn"), initializer=builder_started)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _done(rows: tuple[bytes, bytes, bytes]) -> Future[tuple[bytes, bytes, bytes]]:
    future: Future[tuple[bytes, bytes, bytes]] = Future()
    future.set_result(rows)
    return future


def _copy(connection: Connection, size: int, sites: list[tuple[Any, ...]],
          rows: Future[tuple[bytes, bytes, bytes]], *, progress: Callable[[int], None] | None) -> None:
    stations, listings, changes = rows.result()
    bulk.copy(connection=connection, sites=sites, stations=stations, listings=listings, changes=changes)
    if progress:
        progress(size)


def _split(items: Sequence[NewStation], size: int) -> Iterator[Sequence[NewStation]]:
    start = 0
    while start < len(items):
        end = min(start + size, len(items))
        while end < len(items) and items[end].site_key is not None and items[end].site_key == items[end - 1].site_key:
            end += 1
        yield items[start:end]
        start = end


def _prepare(connection: Connection, batch: Sequence[NewStation], *, actor: str,
             reason: str) -> tuple[Batch, list[tuple[Any, ...]]]:
    """The batch's sign codes, sites and ids, set in its drafts' values; its site rows (id, name, address, adcode)."""
    now = datetime.now(UTC)
    _give_sign_codes(connection, [item.draft.values for item in batch])
    sites = _open_sites(connection, batch)
    ids = bulk.reserve_ids(connection=connection, table="stations", n=len(batch))
    for station_id, item in zip(ids, batch, strict=True):
        values = item.draft.values
        values["id"] = station_id
        if item.site_key is not None and values.get("site_id") is None:
            values["site_id"] = sites[item.site_key][0]
    return Batch([item.draft for item in batch], now, actor, reason), list(sites.values())


def _give_sign_codes(connection: Connection, stations: Sequence[dict[str, Any]]) -> None:
    """New sign codes for the stations without one, allocated per (adcode, kind) in one statement."""
    counts = Counter((s["adcode"], _cell(s["kind"])) for s in stations if not s["sign_code"])
    if not counts:
        return
    serial = bulk.allocate_serials(connection=connection, counts=counts)
    for station in stations:
        if not station["sign_code"]:
            key = (station["adcode"], _cell(station["kind"]))
            station["sign_code"] = format_sign_code(adcode=station["adcode"], kind=Kind(key[1]), serial=serial[key])
            serial[key] += 1


def _open_sites(connection: Connection, batch: Sequence[NewStation]) -> dict[Hashable, tuple[int, str, str, str]]:
    """A site row (id, name, address, adcode) for each site key of the batch, named by its first station."""
    firsts: dict[Hashable, dict[str, Any]] = {}
    names: dict[Hashable, str | None] = {}
    for item in batch:
        if item.site_key is not None and item.draft.values.get("site_id") is None and item.site_key not in firsts:
            firsts[item.site_key], names[item.site_key] = item.draft.values, item.site_name
    site_ids = bulk.reserve_ids(connection=connection, table="sites", n=len(firsts)) if firsts else []
    return {key: (site_id, names[key] or first["name"], first["address"], first["adcode"])
            for site_id, (key, first) in zip(site_ids, firsts.items(), strict=True)}


def _cell(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value
