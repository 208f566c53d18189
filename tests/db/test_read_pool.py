"""The nearest lookup's read pool: bounded, reused, and never handing out a connection left in a bad state."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import asyncpg
import pytest

from stations.db.nearest_sql import Shape, nearest_statement
from stations.db.read_pool import ReadPool, libpq_url
from stations.hours import SHANGHAI, package_calendar
from stations.nearest import Nearest, params


def run(database_url: str, size: int, body: Callable[[ReadPool], Awaitable[None]], **options: int) -> None:
    """Run `body` on a fresh pool in an event loop of its own thread (Playwright's sync API owns the main one)."""
    async def main() -> None:
        pool = ReadPool(libpq_url(database_url), size=size, **options)
        try:
            await body(pool)
        finally:
            await pool.close()

    with ThreadPoolExecutor(max_workers=1) as executor:
        executor.submit(asyncio.run, main()).result()


def test_concurrent_queries_share_at_most_size_connections(database_url: str) -> None:
    async def body(pool: ReadPool) -> None:
        rows = await asyncio.gather(*(pool.fetch("SELECT pg_backend_pid() AS pid, pg_sleep(0.05)") for _ in range(12)))
        pids = {r[0]["pid"] for r in rows}
        assert len(rows) == 12 and 1 <= len(pids) <= 3
        again = await pool.fetch("SELECT pg_backend_pid() AS pid")
        assert again[0]["pid"] in pids  # reused, not reopened
        assert (await pool.fetch("SHOW jit"))[0]["jit"] == "off"

    run(database_url, 3, body)


def test_a_failed_statement_does_not_poison_the_pool(database_url: str) -> None:
    async def body(pool: ReadPool) -> None:
        with pytest.raises(asyncpg.PostgresError):
            await pool.fetch("SELECT 1 / 0")
        assert (await pool.fetch("SELECT 2 AS two"))[0]["two"] == 2

    run(database_url, 1, body)


def test_a_cancelled_query_frees_its_slot_and_its_connection_is_not_reused(database_url: str) -> None:
    async def body(pool: ReadPool) -> None:
        first_pid = (await pool.fetch("SELECT pg_backend_pid() AS pid"))[0]["pid"]
        slow = asyncio.ensure_future(pool.fetch("SELECT pg_sleep(30)"))
        await asyncio.sleep(0.2)
        slow.cancel()  # a client hung up mid-query
        with pytest.raises(asyncio.CancelledError):
            await slow
        pid = await asyncio.wait_for(pool.fetch("SELECT pg_backend_pid() AS pid"), timeout=10)  # size 1: not leaked
        assert pid[0]["pid"] != first_pid
        # and PostgreSQL stops the abandoned query within about a second (client_connection_check_interval; without
        # it the backend lived on for 4.8 s here, however the query ended)
        for _ in range(30):  # 3 s
            left = await pool.fetch("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1", first_pid)
            if left[0]["n"] == 0:
                break
            await asyncio.sleep(0.1)
        assert left[0]["n"] == 0

    run(database_url, 1, body)


def test_a_query_past_the_statement_timeout_is_cancelled_and_the_pool_goes_on(database_url: str) -> None:
    async def body(pool: ReadPool) -> None:
        with pytest.raises(asyncpg.QueryCanceledError):
            await pool.fetch("SELECT pg_sleep(5)")
        assert (await pool.fetch("SELECT 2 AS two"))[0]["two"] == 2

    run(database_url, 1, body, statement_timeout_ms=100)


def test_a_closed_pool_refuses_new_queries(database_url: str) -> None:
    async def body(pool: ReadPool) -> None:
        await pool.close()
        with pytest.raises(RuntimeError, match="closed"):
            await pool.fetch("SELECT 1")

    run(database_url, 2, body)


def test_warming_opens_every_connection_before_the_first_lookup(database_url: str) -> None:
    async def body(pool: ReadPool) -> None:
        await pool.warm()
        await pool.warm()  # already full: opens nothing more
        warmed = datetime.now(UTC)
        busy = await asyncio.gather(*(pool.fetch(
            "SELECT pid, backend_start, pg_sleep(0.05) FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        ) for _ in range(6)))
        assert len({r[0]["pid"] for r in busy}) == 3  # all three connections, none more
        assert all(r[0]["backend_start"] < warmed for r in busy)  # opened by the warm-up, not by a lookup

    run(database_url, 3, body)


def test_warming_prepares_the_usual_lookup_on_every_connection(database_url: str) -> None:
    """The app warms with the statement most lookups run: each connection has it prepared and planned, and a rider's
    lookup there runs that plan instead of preparing its own (43-45 ms at 1M stations)."""
    now = datetime.now(SHANGHAI)
    sql, args = Nearest(reads=None).warming(now=now, calendar=package_calendar())  # type: ignore[arg-type]
    lookup = params.parse("lon=103.83&lat=36.06", now=now, calendar=package_calendar()).query  # no filter, limit 10

    async def plans_by_connection(pool: ReadPool) -> dict[int, int]:
        """Generic-plan runs of the warming statement on each connection (six overlapping queries reach all three)."""
        rows = await asyncio.gather(*(pool.fetch(
            "SELECT pg_backend_pid() AS pid, pg_sleep(0.05), "
            "coalesce((SELECT generic_plans FROM pg_prepared_statements WHERE statement = $1), 0) AS plans",
            sql) for _ in range(6)))
        return {r[0]["pid"]: r[0]["plans"] for r in rows}

    async def body(pool: ReadPool) -> None:
        await pool.warm(sql, *args)
        assert list((await plans_by_connection(pool)).values()) == [1, 1, 1]  # prepared and planned on each
        nearest = Nearest(pool)
        await asyncio.gather(*(nearest.find(lookup) for _ in range(6)))
        assert sum((await plans_by_connection(pool)).values()) == 3 + 6  # the lookups ran the warmed plans

    run(database_url, 3, body)


def test_a_repeated_lookup_is_planned_once_not_on_every_call(database_url: str) -> None:
    # Left to choose, PostgreSQL re-planned the nearest lookup on every call at 1M stations (0.32 ms each).
    sql = nearest_statement(Shape(), 10).sql

    async def body(pool: ReadPool) -> None:
        for step in range(8):
            await pool.fetch(sql, 116.4 + step / 100, 39.9)
        plans = await pool.fetch("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
                                 sql)
        assert [(p["generic_plans"], p["custom_plans"]) for p in plans] == [(8, 0)]

    run(database_url, 1, body)
