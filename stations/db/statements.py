"""SQLAlchemy statements read through the asyncpg read pool (`db.read_pool`), and the protocol services read them by.

A station page is one primary-key read. Through a SQLAlchemy session in a worker thread it cost four round trips
(the pool's ping, BEGIN, the query, ROLLBACK) and two thread hops; through the read pool it is one prepared statement
on the event loop, as the nearest lookup is. The statement stays written once, as SQLAlchemy (`sync_queries`), and is
compiled here to asyncpg's `$n` placeholders once per process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class StatementReads(Protocol):
    """Rows of a statement from wherever this request reads (the app's `ReadRoute.rows`; in tests, the test's
    session)."""

    async def __call__(self, statement: ClauseElement, params: Mapping[str, Any]) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class Compiled:
    """A statement as asyncpg runs it: its SQL and the names of its parameters in `$n` order."""

    sql: str
    names: tuple[str, ...]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        """The positional arguments for `params`."""
        return [params[name] for name in self.names]


@cache  # statements are module constants: one entry each
def compiled(statement: ClauseElement) -> Compiled:
    """`statement` in asyncpg's dialect (parameters `$1::BIGINT`...). Expanding parameters (`IN`) are not supported:
    spell a list as `= ANY(:param)` with an ARRAY type."""
    out = statement.compile(dialect=_DIALECT)
    assert isinstance(out, SQLCompiler)
    return Compiled(str(out), tuple(out.positiontup or ()))
