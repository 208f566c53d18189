"""The cluster aggregates' upkeep: committed deltas folded into `station_cells` (migration 0022) every few seconds.

Writers only append deltas (triggers on stations), so they never wait for each other; readers add the deltas not
folded yet (`db.viewport_sql.CELLS`). Folding keeps that addition small.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Connection, Engine

from stations.db.viewport_sql import FOLD_CELLS, TRY_FOLD_LOCK

FOLD_SECONDS = 5.0
log = logging.getLogger(__name__)


def fold(connection: Connection) -> bool:
    """Fold the committed deltas into the cells inside `connection`'s transaction; False when another process is
    folding (it takes the same deltas)."""
    if not connection.execute(TRY_FOLD_LOCK).scalar_one():
        return False
    connection.execute(FOLD_CELLS)
    return True


def _fold_committed(engine: Engine) -> None:
    with engine.begin() as connection:
        fold(connection)


async def fold_every(engine: Engine, *, every: float = FOLD_SECONDS) -> None:
    """`fold` every `every` seconds for as long as the app runs (a failure is logged and retried)."""
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(_fold_committed, engine)
        except Exception as exc:  # the primary may be down: the deltas wait for the next round
            log.warning("station_cells_not_folded", extra={"detail": str(exc)})
