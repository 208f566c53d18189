"""The OGC collection's extent, read from the cluster aggregates and a few boxes of the geom index, equals the
minimum and maximum of the live stations' coordinates, after random inserts, moves and deletions, with stations on
the cells' grid lines, before and after the aggregates' deltas are folded."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from stations.services.feeds import ogc
from stations.services.registry import cells
from tests.db.test_nearest import insert_station

FINE = 360 / (64 << 9)  # a cell of level 9, the aggregates' finest
LIVE = text("SELECT min(ST_X(geom)), min(ST_Y(geom)), max(ST_X(geom)), max(ST_Y(geom)) FROM stations "
            "WHERE deleted_at IS NULL")

# Anywhere in China, or exactly on a line of the finest grid (and so of every coarser one).
lon = st.one_of(st.floats(73.5, 135.0), st.integers(int(73.5 / FINE), int(135 / FINE)).map(lambda k: k * FINE))
lat = st.one_of(st.floats(18.0, 53.5), st.integers(int(18 / FINE), int(53.5 / FINE)).map(lambda k: k * FINE))
change = st.one_of(
    st.tuples(st.just("move"), st.integers(0, 99), lon, lat),
    st.tuples(st.sampled_from(["soft_delete", "undelete", "delete"]), st.integers(0, 99)),
)
CHANGES = {
    "move": "UPDATE stations SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id",
    "soft_delete": "UPDATE stations SET deleted_at = now() WHERE id = :id",
    "undelete": "UPDATE stations SET deleted_at = NULL WHERE id = :id",
    "delete": "DELETE FROM stations WHERE id = :id",
}


def _extent(session: Session) -> list[float] | None:
    spatial = ogc.collection(session=session, base="")["extent"].get("spatial")
    return spatial["bbox"][0] if spatial else None


@given(stations=st.lists(st.tuples(lon, lat, st.booleans()), min_size=1, max_size=30),
       changes=st.lists(change, max_size=10), fold_first=st.booleans())
def test_the_extent_is_the_live_stations_bounds(
    session: Session, stations: list[Any], changes: list[Any], fold_first: bool
) -> None:
    nested = session.begin_nested()
    try:
        ids = [insert_station(session, lon=x, lat=y, status="closed" if closed else "active")
               for x, y, closed in stations]
        if fold_first:
            cells.fold(session.connection())
        for what, index, *rest in changes:
            params: dict[str, Any] = {"id": ids[index % len(ids)]}
            if what == "move":
                params["lon"], params["lat"] = rest
            session.execute(text(CHANGES[what]), params)
        bounds = session.execute(LIVE).one()
        want = None if bounds[0] is None else list(bounds)
        assert _extent(session) == want
        cells.fold(session.connection())
        assert _extent(session) == want
    finally:
        nested.rollback()
