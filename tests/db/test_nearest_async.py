"""The HTTP hot path: nearest_async on an asyncpg connection ranks like brute force; every statement shape, even
as a cached generic plan, is driven by the spatial indexes."""

from __future__ import annotations

import asyncio
import itertools
import random
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import psycopg
import pytest

from stations.db.nearest_sql import Shape, nearest_statement
from stations.db.read_pool import libpq_url
from stations.geo.crs import Crs
from stations.nearest import Nearest, make_query
from stations.reference import Kind
from tests.db.test_nearest import (
    AMENITY_SETS,
    CENTRES,
    HOURS,
    KINDS,
    MOMENTS,
    MONDAY_NOON,
    PLANNABLE_STATIONS,
    brute_force,
)

INSERT = (
    "INSERT INTO stations (kind, name, address, adcode, geom, hours, amenities, sign_code) "
    "VALUES ($1, '示例站', '示例地址', '110101', ST_SetSRID(ST_MakePoint($2, $3), 4326), $4, $5, $6) RETURNING id"
)


async def _scatter(conn: asyncpg.Connection, n: int) -> list[dict[str, object]]:
    rng, rows = random.Random(11), []
    for i in range(n):
        clon, clat = CENTRES[i % len(CENTRES)]
        lon, lat = clon + rng.gauss(0, 0.08), clat + rng.gauss(0, 0.06)
        kind, amenities = rng.choice(KINDS), rng.choice(AMENITY_SETS)
        hours = rng.choice(HOURS)
        sid = await conn.fetchval(INSERT, kind.value, lon, lat, hours, amenities, f"A-{i}")
        rows.append({"id": sid, "lon": lon, "lat": lat, "kind": kind, "amenities": amenities, "hours": hours})
    return rows


def test_async_ranking_equals_brute_force(database_url: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(libpq_url(database_url))
        transaction = conn.transaction()
        await transaction.start()  # rolled back below: the session database stays empty
        try:
            rows = await _scatter(conn, 400)
            nearest = Nearest(conn)  # the production search on this connection: it sees the rows just inserted
            rng = random.Random(5)
            for _ in range(60):
                clon, clat = rng.choice(CENTRES)
                lon, lat = clon + rng.uniform(-0.3, 0.3), clat + rng.uniform(-0.2, 0.2)
                kinds = rng.choice([[], [Kind.OUTDOOR_STATION], [Kind.MOTHERS_ROOM, Kind.READING_ROOM]])
                amenities = rng.choice([(), ("drinking_water",), ("drinking_water", "microwave")])
                k, open_at, radius = rng.randint(1, 25), rng.choice([None, *MOMENTS]), rng.choice([None, 8000.0])
                query = make_query(lon=lon, lat=lat, crs=Crs.WGS84, at=open_at or MONDAY_NOON, kinds=kinds,
                                           amenities=amenities, limit=k, open_only=open_at is not None,
                                           radius_m=radius)
                got = await nearest.find(query)
                expected = brute_force(rows, lon, lat, k, kinds=kinds, amenities=amenities, open_at=open_at,
                                       radius_m=radius)
                assert [r.row["id"] for r in got] == expected
        finally:
            await transaction.rollback()
            await conn.close()

    # In a thread of its own: Playwright's sync API (browser tests) leaves an event loop set on the main thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.mark.parametrize(("kinds", "amenities", "radius", "open_"), list(itertools.product((False, True), repeat=4)))
def test_generic_plans_use_the_spatial_indexes(
    database_url: str, kinds: bool, amenities: bool, radius: bool, open_: bool
) -> None:
    with psycopg.connect(libpq_url(database_url)) as conn:
        conn.execute(PLANNABLE_STATIONS)  # type: ignore[arg-type]
        conn.execute("ANALYZE stations")
        conn.execute("SET plan_cache_mode = force_generic_plan")
        # The very statement the hot path prepares through asyncpg, its $n types inferred as they are there.
        statement = nearest_statement(Shape(kinds=kinds, amenities=amenities, radius=radius, open_=open_), 10)
        names = statement.parameters
        conn.execute("PREPARE nearest_shape AS " + statement.sql)  # type: ignore[arg-type]
        values = {"lon": "116.4", "lat": "39.9", "kinds": "'{mothers_room}'", "amenities": "'{toilet}'",
                  "radius_m": "5000", "west": "116.3", "south": "39.85", "east": "116.5", "north": "39.95",
                  "open_timetables": "'{24/7\x1f}'", "known_timetables": "'{24/7\x1f}'"}
        plan = "\n".join(r[0] for r in conn.execute(
            f"EXPLAIN EXECUTE nearest_shape({', '.join(values[n] for n in names)})").fetchall())
        conn.rollback()
    assert "Seq Scan" not in plan and "ix_stations_amenities" not in plan, plan
    if kinds or amenities or radius or open_:  # pass 1: planar KNN, then the geography index within the bound
        assert "Index Scan using ix_stations_geom" in plan and "Order By: (geom <->" in plan, plan
        assert "Index Scan using ix_stations_geog" in plan, plan
    else:  # KNN by straight-line metres on the ellipsoid's index; the fallback's take-while scan; rows by primary key
        assert "Index Scan using ix_stations_ecef" in plan and "<<->>" in plan, plan
        assert "Function Scan on nearest_live_chord" in plan, plan
        assert "Index Scan using stations_pkey" in plan, plan
    if radius:  # bounded by the circle's box in the same scan, not every station within the radius sorted
        assert "Index Cond: (geom && " in plan, plan
