"""Migration 0029: the far lookup's take-while scan (`nearest_live_chord`) plans without JIT in any session. Its
query has no LIMIT, so it is costed as reading every live station; a session with JIT on (psql, pgbench, another
tool) compiled it on every call (224 ms for one far lookup at 1M)."""

from __future__ import annotations

import psycopg

from stations.db.read_pool import libpq_url

NESTED_PLANS = ("LOAD 'auto_explain'", "SET auto_explain.log_min_duration = 0",
                "SET auto_explain.log_nested_statements = on", "SET auto_explain.log_analyze = on",
                "SET client_min_messages = log")


def test_the_far_lookups_scan_is_never_compiled(database_url: str) -> None:
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        conn.execute("SET jit = on")
        conn.execute("SET jit_above_cost = 0")
        control = conn.execute("EXPLAIN (ANALYZE) SELECT id FROM stations WHERE deleted_at IS NULL").fetchall()
        assert any("JIT" in line for line, in control)  # this session compiles anything
        logged: list[str] = []
        conn.add_notice_handler(lambda notice: logged.append(notice.message_primary or ""))
        for statement in NESTED_PLANS:
            conn.execute(statement)
        conn.execute("SELECT count(*) FROM nearest_live_chord(103.83, 36.06, 1000000)")
        scans = [plan for plan in logged if "ORDER BY ecef" in plan]
        assert scans and not any("JIT" in plan for plan in scans)
