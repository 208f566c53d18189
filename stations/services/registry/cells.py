"""The cluster aggregates' upkeep: committed deltas folded into `station_cells` (migration 0022) every few seconds.

Writers only append deltas (triggers on stations), so they never wait for each other; readers add the deltas not
folded yet (`db.viewport_sql.CELLS`). Folding keeps that addition small.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine

from stations.db.viewport_sql import ALLOW_FOLD, END_FOLD, FOLD_CELLS, TRY_FOLD_LOCK

FOLD_SECONDS = 5.0
log = logging.getLogger(__name__)


def fold(connection: Connection) -> bool:
    """Fold the committed deltas into the cells inside `connection`'s transaction; False when another process is
    folding (it takes the same deltas)."""
    if not connection.execute(TRY_FOLD_LOCK).scalar_one():
        return False
    connection.execute(ALLOW_FOLD)  # migration 0027: the deltas' rows are deleted only by a fold that moves every sum
    connection.execute(FOLD_CELLS)
    connection.execute(END_FOLD)  # for this statement only, whatever else the transaction does
    return True


def fold_committed(engine: Engine) -> None:
    """`fold` in a transaction of its own."""
    with engine.begin() as connection:
        fold(connection)

