"""SQLAlchemy statements read through the asyncpg read pool (`db.read_pool`), and the protocol services read them by.

A station page is one primary-key read. Through a SQLAlchemy session in a worker thread it cost four round trips
(the pool's ping, BEGIN, the query, ROLLBACK) and two thread hops; through the read pool it is one prepared statement
on the event loop, as the nearest lookup is. The statement stays written once, as SQLAlchemy (`sync_queries`), and is
compiled here to asyncpg's `$n` placeholders once per process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, Protocol

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from stations.db.nearest_sql import Statement

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class StatementReads(Protocol):
    """Rows of a statement from wherever this request reads (the app's `ReadRoute.rows`; in tests, the test's
    session)."""

    async def __call__(self, statement: ClauseElement, params: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]: ...


@cache  # statements are module constants: one entry each
def compiled(statement: ClauseElement) -> Statement:
    """`statement` in asyncpg's dialect (parameters `$1::BIGINT`...), as the nearest lookup's statements are held.
    Expanding parameters (`IN`) are not supported: spell a list as `= ANY(:param)` with an ARRAY type."""
    out = statement.compile(dialect=_DIALECT)
    assert isinstance(out, SQLCompiler)
    return Statement(str(out), tuple(out.positiontup or ()))
