"""SQL of the demand aggregate: lookups' counts by cell and hour added in batches, old weeks pruned, demand points."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

ADD_CELLS = text(
    """
    INSERT INTO demand_cells AS c (week, cell_row, cell_col, hour_of_week, adcode, geom, lookups, served,
                                   open_m_sum, open_n)
    VALUES (:week, :row, :col, :hour, :adcode, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :lookups, :served,
            :open_m_sum, :open_n)
    ON CONFLICT (week, cell_row, cell_col, hour_of_week) DO UPDATE SET
        lookups = c.lookups + excluded.lookups, served = c.served + excluded.served,
        open_m_sum = c.open_m_sum + excluded.open_m_sum, open_n = c.open_n + excluded.open_n
    """
)
"""One batch row per (cell, hour); several processes adding to one row queue on its lock and none is lost."""

PRUNE = text("DELETE FROM demand_cells WHERE week < :oldest")

ADD_POINT = text(
    """
    INSERT INTO demand_points (name, category, weight, adcode, geom, imported_by)
    VALUES (:name, :category, :weight, :adcode, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :actor)
    """
)
REMOVE_POINTS = text("DELETE FROM demand_points WHERE adcode LIKE :region || '%' OR (:region = '' AND adcode IS NULL)")
COUNT_POINTS = text("SELECT count(*) FROM demand_points WHERE coalesce(adcode, '') LIKE :region || '%'")


def add_cells(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Add a batch of cell tallies (executemany of one prepared statement)."""
    if rows:
        session.execute(ADD_CELLS, list(rows))


def prune(*, session: Session, oldest: date) -> int:
    """Delete the weeks before `oldest`; how many rows."""
    return int(session.execute(PRUNE, {"oldest": oldest}).rowcount)  # type: ignore[attr-defined]


def add_points(*, session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert imported demand points."""
    if rows:
        session.execute(ADD_POINT, list(rows))


def remove_points(*, session: Session, region: str) -> int:
    """Delete the demand points of a region (adcode prefix; '' = all); how many."""
    return int(session.execute(REMOVE_POINTS, {"region": region}).rowcount)  # type: ignore[attr-defined]


def count_points(*, session: Session, region: str) -> int:
    """How many demand points a region holds."""
    return int(session.execute(COUNT_POINTS, {"region": region}).scalar_one())
