"""The viewport's spatial SQL, as named constants written so the GiST index is used: bbox filters compare
`geom &&` an envelope (transform the box, never the column). The nearest statement is in `nearest_sql`."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from sqlalchemy import text

from stations.reference import Kind

# Filters shared by every public lookup; :kinds and :amenities are arrays (empty = no filter).
PUBLIC_FILTER = """
    deleted_at IS NULL AND status <> 'closed'
    AND (cardinality(CAST(:kinds AS varchar[])) = 0 OR kind = ANY(CAST(:kinds AS varchar[])))
    AND amenities @> CAST(:amenities AS varchar[])
"""

VIEWPORT_COUNT = text(
    f"""
    SELECT count(*) FROM (
        SELECT 1 FROM stations
        WHERE geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) AND {PUBLIC_FILTER}
        LIMIT :cap
    ) AS capped
    """
)

VIEWPORT_STATIONS = text(
    f"""
    SELECT id, site_id, kind, name, status, sign_code, ST_X(geom) AS lon, ST_Y(geom) AS lat
    FROM stations
    WHERE geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) AND {PUBLIC_FILTER}
    ORDER BY id
    LIMIT :cap
    """
)

VIEWPORT_CLUSTERS = text(
    f"""
    SELECT count(*) AS count, ST_X(ST_Centroid(ST_Collect(geom))) AS lon, ST_Y(ST_Centroid(ST_Collect(geom))) AS lat,
           min(id) AS first_id
    FROM stations
    WHERE geom && ST_MakeEnvelope(:west, :south, :east, :north, 4326) AND {PUBLIC_FILTER}
    GROUP BY ST_SnapToGrid(geom, :cell, :cell)
    ORDER BY count DESC, first_id
    LIMIT :cap
    """
)

CELL_LEVELS = 10
"""Levels 0-9 of `station_cells` (migration 0022): a cell of level L is 360 / 2^(L + 6) degrees."""

# The cluster aggregates of migration 0022 as of the reader's snapshot: the folded cells plus the deltas that writers
# appended since the last fold (`FOLD_CELLS`).
CELLS = """(SELECT level, cx, cy, closed, count, sum_lon, sum_lat FROM station_cells
           UNION ALL SELECT level, cx, cy, closed, count, sum_lon, sum_lat FROM station_cell_deltas)"""

# Per kind, the cells hold `<kind>_count`, `<kind>_sum_lon` and `<kind>_sum_lat` beside the totals, and each delta
# row is one kind's (`kind`) (migration 0027).
KIND_COLUMNS = [f"{kind.value}_{what}" for kind in Kind for what in ("count", "sum_lon", "sum_lat")]


def kind_cells(kinds: Iterable[Kind]) -> str:
    """`CELLS` counting only the stations of `kinds` (cells without any then count 0)."""
    chosen = sorted(k.value for k in kinds)  # the enum's values: nothing else is ever written into the SQL
    sums = ", ".join(" + ".join(f"{k}_{what}" for k in chosen) + f" AS {what}"
                     for what in ("count", "sum_lon", "sum_lat"))
    listed = ", ".join(f"'{k}'" for k in chosen)
    return f"""(SELECT level, cx, cy, closed, {sums} FROM station_cells
           UNION ALL SELECT level, cx, cy, closed, count, sum_lon, sum_lat FROM station_cell_deltas
                     WHERE kind IN ({listed}))"""


# Clusters of the whole country or a province from the aggregates (`{cells}`: CELLS or a kind_cells): the cells of
# `:level` in view (a few thousand at most), grouped again on the viewport's own grid by their centroids. Only for
# lookups without an amenity filter, which the aggregates do not know.
_VIEWPORT_CELLS = """
    SELECT CAST(sum(count) AS bigint) AS count, sum(sum_lon) / sum(count) AS lon, sum(sum_lat) / sum(count) AS lat
    FROM (
        SELECT sum(count) AS count, sum(sum_lon) AS sum_lon, sum(sum_lat) AS sum_lat,
               sum(sum_lon) / sum(count) AS x, sum(sum_lat) / sum(count) AS y
        FROM {cells} AS c
        WHERE level = :level AND NOT closed AND cx = ANY(CAST(:columns AS integer[])) AND cy BETWEEN :y0 AND :y1
        GROUP BY cx, cy
        HAVING sum(count) > 0
    ) AS cells
    WHERE x BETWEEN :west AND :east AND y BETWEEN :south AND :north
    GROUP BY floor(x / :cell), floor(y / :cell)
    ORDER BY count DESC, lon, lat
    LIMIT :cap
    """
VIEWPORT_CELLS = text(_VIEWPORT_CELLS.format(cells=CELLS))
_KIND_SETS = [frozenset(c) for n in range(1, len(Kind)) for c in combinations(Kind, n)]
VIEWPORT_KIND_CELLS = {kinds: text(_VIEWPORT_CELLS.format(cells=kind_cells(kinds))) for kinds in _KIND_SETS}
"""VIEWPORT_CELLS for each set of some but not all kinds (every kind is VIEWPORT_CELLS)."""

# Fold the committed deltas into the cells, in one short transaction (one folder at a time: the advisory lock). The
# DELETE sees only committed deltas; those of writers still open wait for the next fold. The deltas may only be
# deleted by a fold that moves the kinds' sums too (migration 0027 skips any other delete): ALLOW_FOLD says so.
CELLS_FOLD_LOCK = 7_301_002_117
_KIND_SUMS = ", ".join(f"coalesce(sum({what}) FILTER (WHERE kind = '{k.value}'), 0)"
                       for k in Kind for what in ("count", "sum_lon", "sum_lat"))
_SUMMED = ["count", "sum_lon", "sum_lat", *KIND_COLUMNS]
FOLD_CELLS = text(
    f"""
    WITH moved AS (
        DELETE FROM station_cell_deltas RETURNING level, cx, cy, closed, kind, count, sum_lon, sum_lat
    )
    INSERT INTO station_cells AS c (level, cx, cy, closed, {", ".join(_SUMMED)})
    SELECT level, cx, cy, closed, sum(count), sum(sum_lon), sum(sum_lat), {_KIND_SUMS} FROM moved
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (level, cx, cy, closed) DO UPDATE
    SET {", ".join(f"{c} = c.{c} + excluded.{c}" for c in _SUMMED)}
    """
)
TRY_FOLD_LOCK = text(f"SELECT pg_try_advisory_xact_lock({CELLS_FOLD_LOCK})")
ALLOW_FOLD = text("SELECT set_config('stations.cells_fold', 'kinds', true)")
END_FOLD = text("SELECT set_config('stations.cells_fold', '', true)")
