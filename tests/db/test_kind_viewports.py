"""Clusters of a viewport read from the aggregates (migration 0027 for a kind filter) equal the same grouping done
afresh in Python from the station rows, for every set of kinds, after random inserts, moves, kind changes, closures,
deletions and bulk writes, before and after the deltas are folded."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from stations.reference import Kind
from stations.services.registry import cells, viewport
from stations.services.registry.seed import seed_demo
from tests.db.test_nearest import insert_station

KIND_SETS = [tuple(c) for n in range(1, len(Kind) + 1) for c in combinations(Kind, n)]
# A city (cells of level 5 in view), a district (finer than level 9: read at level 9) and a province (level 3).
BOXES = [viewport.Viewport(116.25, 39.84, 116.55, 39.98), viewport.Viewport(116.36, 39.88, 116.44, 39.93),
         viewport.Viewport(113.4, 36.0, 119.9, 42.6)]
STEP = 0.000713  # stations on a lattice offset from the grids' lines, so no centroid lies on one (floats would tie)
LIVE = text("SELECT ST_X(geom), ST_Y(geom), kind FROM stations WHERE deleted_at IS NULL AND status <> 'closed'")


def _place(i: int, j: int) -> tuple[float, float]:
    return 116.2 + (i + 0.37) * STEP, 39.8 + (j + 0.61) * STEP


def afresh(rows: Iterable[Any], box: viewport.Viewport, kinds: Iterable[Kind]) -> list[tuple[int, float, float]]:
    """What the viewport's clusters are, computed here from the stations: their level's cells, each cell's centroid
    if inside the box, grouped on the viewport's grid (GRID_COLUMNS across) by those centroids."""
    wanted = {k.value for k in kinds}
    cell = max(box.east - box.west, box.north - box.south) / viewport.GRID_COLUMNS
    level = viewport.cell_level(cell)
    per_degree = (64 << (9 if level is None else level)) / 360.0
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for lon, lat, kind in rows:
        if kind in wanted:
            s = sums[(math.floor(lon * per_degree), math.floor(lat * per_degree))]
            s[0], s[1], s[2] = s[0] + 1, s[1] + lon, s[2] + lat
    groups: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for n, sum_lon, sum_lat in sums.values():
        x, y = sum_lon / n, sum_lat / n
        if box.west <= x <= box.east and box.south <= y <= box.north:
            g = groups[(math.floor(x / cell), math.floor(y / cell))]
            g[0], g[1], g[2] = g[0] + n, g[1] + sum_lon, g[2] + sum_lat
    return sorted((int(n), sum_lon / n, sum_lat / n) for n, sum_lon, sum_lat in groups.values())


def _same(session: Session, rows: list[Any], box: viewport.Viewport, kinds: tuple[Kind, ...]) -> None:
    got = sorted((r["count"], r["lon"], r["lat"]) for r in viewport.clusters(session=session, viewport=box,
                                                                              kinds=kinds))
    want = afresh(rows, box, kinds)
    assert [n for n, _, _ in got] == [n for n, _, _ in want], (box, kinds)
    for n, lon, lat in got:  # paired by place: two clusters' longitudes may differ by less than the sums' rounding
        match = next((i for i, (m, x, y) in enumerate(want)
                      if m == n and math.isclose(lon, x, abs_tol=1e-9) and math.isclose(lat, y, abs_tol=1e-9)), None)
        assert match is not None, (box, kinds, (n, lon, lat), want)
        want.pop(match)


def _check(session: Session) -> None:
    rows = list(session.execute(LIVE))
    for box in BOXES:
        for kinds in KIND_SETS:
            _same(session, rows, box, kinds)


lattice = st.tuples(st.integers(0, 560), st.integers(0, 280))
station = st.tuples(lattice, st.sampled_from(list(Kind)), st.booleans())
change = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 99), lattice),
    st.tuples(st.just("kind"), st.integers(0, 99), st.sampled_from(list(Kind))),
    st.tuples(st.sampled_from(["close", "reopen", "soft_delete", "undelete", "delete"]), st.integers(0, 99)),
)
CHANGES = {
    "kind": "UPDATE stations SET kind = :kind WHERE id = :id",
    "move": "UPDATE stations SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id",
    "close": "UPDATE stations SET status = 'closed' WHERE id = :id",
    "reopen": "UPDATE stations SET status = 'active' WHERE id = :id",
    "soft_delete": "UPDATE stations SET deleted_at = now() WHERE id = :id",
    "undelete": "UPDATE stations SET deleted_at = NULL WHERE id = :id",
    "delete": "DELETE FROM stations WHERE id = :id",
}
BULK_INSERT = text(
    "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
    "SELECT k, '示例', '示例', '110101', ST_SetSRID(ST_MakePoint(x, y), 4326), 'H-' || n "
    "FROM unnest(CAST(:kinds AS text[]), CAST(:lons AS float8[]), CAST(:lats AS float8[])) WITH ORDINALITY "
    "AS t(k, x, y, n)"
)
# One statement changing the kind of every other station (the triggers see them all at once)
BULK_KINDS = text(
    "UPDATE stations SET kind = CASE kind WHEN 'outdoor_station' THEN 'mothers_room' "
    "WHEN 'mothers_room' THEN 'reading_room' ELSE 'outdoor_station' END WHERE id = ANY(:ids) AND id % 2 = 0"
)


@given(stations=st.lists(station, min_size=1, max_size=40), changes=st.lists(change, max_size=12),
       bulk=st.lists(station, max_size=30), fold_first=st.booleans())
def test_kind_filtered_clusters_from_the_cells_equal_a_fresh_grouping(
    session: Session, stations: list[Any], changes: list[Any], bulk: list[Any], fold_first: bool
) -> None:
    nested = session.begin_nested()
    try:
        ids = [insert_station(session, lon=_place(*at)[0], lat=_place(*at)[1], kind=kind,
                              status="closed" if closed else "active") for at, kind, closed in stations]
        if fold_first:
            cells.fold(session.connection())
        for what, index, *rest in changes:
            params: dict[str, Any] = {"id": ids[index % len(ids)]}
            if what == "move":
                params["lon"], params["lat"] = _place(*rest[0])
            elif what == "kind":
                params["kind"] = rest[0].value
            session.execute(text(CHANGES[what]), params)
        places = [_place(*at) for at, _, _ in bulk]
        session.execute(BULK_INSERT, {"kinds": [k.value for _, k, _ in bulk], "lons": [p[0] for p in places],
                                      "lats": [p[1] for p in places]})
        session.execute(BULK_KINDS, {"ids": ids})
        _check(session)
        cells.fold(session.connection())
        _check(session)
    finally:
        nested.rollback()


def test_kind_filtered_clusters_follow_the_bulk_writer(connection: Connection) -> None:
    """Demo seeding writes through the bulk writer (COPY in batches): every province's clusters, by kind, still
    equal a fresh grouping."""
    seed_demo(connection=connection, count=3000, seed=11)
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    rows = list(session.execute(LIVE))
    country = viewport.Viewport(73, 18, 135, 54)
    for kinds in KIND_SETS:
        _same(session, rows, country, kinds)
    mothers = viewport.clusters(session=session, viewport=country, kinds=[Kind.MOTHERS_ROOM])
    assert sum(r["count"] for r in mothers) == sum(1 for _, _, kind in rows if kind == Kind.MOTHERS_ROOM.value) > 0
