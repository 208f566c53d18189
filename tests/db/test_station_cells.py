"""The cluster aggregates (`station_cells` and its deltas, migration 0022) stay equal to grouping the stations afresh,
before and after folding; writers in one region never wait for each other's cells."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.orm import Session

from stations.db import migrate
from stations.db.viewport_sql import CELLS, KIND_COLUMNS
from stations.reference import Kind
from stations.services.registry import cells
from tests.db.test_nearest import insert_station

_PER_KIND = ", ".join(
    f"count(*) FILTER (WHERE kind = '{k.value}'), "
    f"round(coalesce(sum(ST_X(geom)) FILTER (WHERE kind = '{k.value}'), 0)::numeric, 6), "
    f"round(coalesce(sum(ST_Y(geom)) FILTER (WHERE kind = '{k.value}'), 0)::numeric, 6)" for k in Kind
)
FRESH = text(
    f"""
    SELECT level, floor(ST_X(geom) * (64 << level) / 360.0)::int AS cx, floor(ST_Y(geom) * (64 << level) / 360.0)::int
           AS cy, status = 'closed' AS closed, count(*) AS count, round(sum(ST_X(geom))::numeric, 6) AS sum_lon,
           round(sum(ST_Y(geom))::numeric, 6) AS sum_lat, {_PER_KIND}
    FROM stations, generate_series(0, 9) AS level
    WHERE deleted_at IS NULL
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    """
)
_SUMS = ", ".join(f"sum({c})" if c.endswith("count") else f"round(sum({c})::numeric, 6)" for c in KIND_COLUMNS)
_ALL = ", ".join(["level", "cx", "cy", "closed", "count", "sum_lon", "sum_lat", *KIND_COLUMNS])
_DELTAS = ", ".join(["level", "cx", "cy", "closed", "count", "sum_lon", "sum_lat"] + [
    f"CASE WHEN kind = '{k.value}' THEN {what} ELSE 0 END" for k in Kind for what in ("count", "sum_lon", "sum_lat")])
KEPT = text(
    f"""
    SELECT level, cx, cy, closed, sum(count), round(sum(sum_lon)::numeric, 6), round(sum(sum_lat)::numeric, 6), {_SUMS}
    FROM (SELECT {_ALL} FROM station_cells UNION ALL SELECT {_DELTAS} FROM station_cell_deltas) AS c
    GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4
    """
)
# Migration 0022's fold, as a process of before 0027 runs it during a rolling deploy: it would drop the kinds' sums.
OLD_FOLD = text(
    """
    WITH moved AS (
        DELETE FROM station_cell_deltas RETURNING level, cx, cy, closed, count, sum_lon, sum_lat
    )
    INSERT INTO station_cells AS c (level, cx, cy, closed, count, sum_lon, sum_lat)
    SELECT level, cx, cy, closed, sum(count), sum(sum_lon), sum(sum_lat) FROM moved
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (level, cx, cy, closed) DO UPDATE
    SET count = c.count + excluded.count, sum_lon = c.sum_lon + excluded.sum_lon,
        sum_lat = c.sum_lat + excluded.sum_lat
    """
)


def _same(session: Session) -> None:
    """The cells plus the deltas not folded equal a fresh grouping, kind by kind, even after an old process's fold
    (which deletes nothing), and still do once the deltas are folded."""
    fresh = [tuple(r) for r in session.execute(FRESH)]
    assert [tuple(r) for r in session.execute(KEPT)] == fresh
    pending = session.execute(text("SELECT count(*) FROM station_cell_deltas")).scalar_one()
    session.execute(OLD_FOLD)
    assert session.execute(text("SELECT count(*) FROM station_cell_deltas")).scalar_one() == pending
    assert [tuple(r) for r in session.execute(KEPT)] == fresh
    assert cells.fold(session.connection())
    assert session.execute(text("SELECT count(*) FROM station_cell_deltas")).scalar_one() == 0
    assert [tuple(r) for r in session.execute(KEPT)] == fresh


def test_cells_follow_inserts_moves_closures_kind_changes_deletions_and_copies(session: Session) -> None:
    kinds = list(Kind)
    ids = [insert_station(session, lon=116.3 + i / 50, lat=39.8 + i / 70, kind=kinds[i % 3]) for i in range(12)]
    _same(session)
    session.execute(text("UPDATE stations SET geom = ST_SetSRID(ST_MakePoint(121.47, 31.23), 4326) WHERE id = :id"),
                    {"id": ids[0]})
    session.execute(text("UPDATE stations SET status = 'closed' WHERE id = :id"), {"id": ids[1]})
    session.execute(text("UPDATE stations SET deleted_at = now() WHERE id = :id"), {"id": ids[2]})
    session.execute(text("UPDATE stations SET name = '改名' WHERE id = ANY(:ids)"), {"ids": ids})  # no cell changes
    session.execute(text("UPDATE stations SET kind = 'reading_room' WHERE id = ANY(:ids)"), {"ids": ids[6:9]})
    _same(session)
    session.execute(text("DELETE FROM stations WHERE id = ANY(:ids)"), {"ids": ids[3:6]})
    session.execute(text("UPDATE stations SET deleted_at = NULL WHERE id = :id"), {"id": ids[2]})
    _same(session)
    session.execute(text(
        "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
        "SELECT 'outdoor_station', '示例', '示例', '110101', "
        "ST_SetSRID(ST_MakePoint(100 + i / 37.0, 30 + i / 53.0), 4326), 'C-' || i FROM generate_series(0, 499) AS i"
    ))
    _same(session)


def test_a_country_viewport_counts_every_open_station_from_the_cells(client: TestClient, session: Session) -> None:
    session.execute(text(
        "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
        "SELECT 'outdoor_station', '示例', '示例', '110101', "
        "ST_SetSRID(ST_MakePoint(80 + (i % 50), 20 + (i / 50) / 1.0), 4326), 'W-' || i "
        "FROM generate_series(0, 1499) AS i"
    ))
    session.execute(text("UPDATE stations SET status = 'closed' WHERE sign_code IN ('W-1', 'W-2')"))
    body = client.get("/api/v1/stations", params={"bbox": "73,18,135,54"}).json()
    assert body["mode"] == "clusters" and len(body["features"]) <= 500
    assert sum(f["properties"]["count"] for f in body["features"]) == 1498


def test_two_writers_in_one_cell_do_not_wait_for_each_other(database_url: str) -> None:
    """A writer that has not committed holds no lock a second writer in the same cells needs (deltas are appended)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as first, engine.connect() as second:
            first.begin()
            first.execute(INSERT_ONE, {"code": "P-1"})
            second.begin()
            second.execute(text("SET LOCAL lock_timeout = '2s'"))
            second.execute(INSERT_ONE, {"code": "P-2"})  # would time out if it waited for the first's cells
            second.rollback()
            first.rollback()
    finally:
        engine.dispose()


INSERT_ONE = text(
    "INSERT INTO stations (kind, name, address, adcode, geom, sign_code) "
    "VALUES ('outdoor_station', '示例', '示例', '110101', ST_SetSRID(ST_MakePoint(116.4, 39.9), 4326), :code)"
)


def test_migration_0027_rebuilds_the_cells_with_kinds_and_goes_back(connection: Connection) -> None:
    """Stations and unfolded deltas written under 0026's triggers: upgraded, the cells equal a fresh grouping kind by
    kind; downgraded again, the totals still do (0022's fold works on them)."""
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    ids = [insert_station(session, lon=116.3 + i / 40, lat=39.8 + i / 90, kind=list(Kind)[i % 3]) for i in range(9)]
    migrate.downgrade(connection=connection, revision="0026_chord_nearest")
    session.execute(text("UPDATE stations SET kind = 'reading_room', geom = ST_Translate(geom, 0.2, 0) "
                         "WHERE id = ANY(:ids)"), {"ids": ids[:3]})
    assert session.execute(text("SELECT count(*) FROM station_cell_deltas")).scalar_one() > 0
    migrate.upgrade(connection=connection)
    _same(session)
    migrate.downgrade(connection=connection, revision="0026_chord_nearest")
    session.execute(text("UPDATE stations SET geom = ST_Translate(geom, 0, 0.1) WHERE id = ANY(:ids)"), {"ids": ids})
    totals = text(f"SELECT level, cx, cy, closed, sum(count), round(sum(sum_lon)::numeric, 6) FROM {CELLS} AS c "
                  "GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0 ORDER BY 1, 2, 3, 4")
    fresh = [tuple(r[:6]) for r in session.execute(FRESH)]
    assert [tuple(r) for r in session.execute(totals)] == fresh
    session.execute(OLD_FOLD)
    assert [tuple(r) for r in session.execute(totals)] == fresh
    migrate.upgrade(connection=connection)
