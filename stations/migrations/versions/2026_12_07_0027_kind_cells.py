"""Kind-filtered viewports from the cluster aggregates (issue 21): per-kind counts and coordinate sums.

`station_cells` (migration 0022) gains, for each of the three kinds, `<kind>_count`, `<kind>_sum_lon` and
`<kind>_sum_lat` beside the totals (0 by default): a filtered viewport reads the kinds it asks for from the rows an
unfiltered one reads. `station_cell_deltas` gains `kind`: the triggers group what a statement changed by kind too (the
same three sums as before, a row per level, cell and kind; grouping by kind cost the triggers' insert +15% over every
station of the 100k bench database, where nine sums in one row per cell cost +40%: docs/performance.md), and the fold
moves each kind's rows into its columns. A change of kind now counts as a move.

Rolling deploy: a column with a constant default (no rewrite), a nullable one and a replaced trigger function. Old
app processes read and fold the totals, which stay right (a cell's delta rows add up to its total). An old process's
fold would drop the deltas' kinds, so the deltas may only be deleted by a fold that says it knows them (`SET LOCAL
stations.cells_fold = 'kinds'`, stations/db/viewport_sql.py): any other delete of a delta row is skipped (a row
trigger returning NULL), so an old fold deletes nothing and the new processes fold. TRUNCATE is unaffected. A later
release may drop that guard once no process of before this revision runs.

The cells are rebuilt from the stations (as 0022's backfill) while writes wait (SHARE ROW EXCLUSIVE on stations, as
0022); the new columns take ACCESS EXCLUSIVE on the two aggregate tables, so zoomed-out viewports and tiles wait for
the rebuild too (0.74 s at 100k, the whole migration).

Revision ID: 0027_kind_cells
Revises: 0026_chord_nearest
Create Date: 2026-12-07
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0027_kind_cells"
down_revision = "0026_chord_nearest"
branch_labels = None
depends_on = None

LEVELS = 10
KINDS = ("outdoor_station", "mothers_room", "reading_room")  # the values stations.kind may hold (its CHECK)
COLUMNS = [f"{kind}_{what}" for kind in KINDS for what in ("count", "sum_lon", "sum_lat")]

_ROWS = ("SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, status = 'closed' AS closed, kind, {n} AS n "
         "FROM {rows} AS r")
# What a set of (lon, lat, closed, kind, n) rows adds to every level's cells, by kind, n = 1 for a station that came,
# -1 for one that went; `delta` is the name of that set.
_APPEND = f"""
    INSERT INTO station_cell_deltas (level, cx, cy, closed, kind, count, sum_lon, sum_lat)
    SELECT level, floor(lon * (64 << level) / 360.0)::int, floor(lat * (64 << level) / 360.0)::int, closed, kind,
           sum(n), sum(n * lon), sum(n * lat)
    FROM delta, generate_series(0, {LEVELS - 1}) AS level
    GROUP BY 1, 2, 3, 4, 5
"""
# The cells afresh from the stations, each kind's sums in its columns.
_KIND_SUMS = ", ".join(
    f"count(*) FILTER (WHERE kind = '{k}'), coalesce(sum(lon) FILTER (WHERE kind = '{k}'), 0), "
    f"coalesce(sum(lat) FILTER (WHERE kind = '{k}'), 0)" for k in KINDS
)
REBUILD = f"""
    INSERT INTO station_cells (level, cx, cy, closed, count, sum_lon, sum_lat, {", ".join(COLUMNS)})
    SELECT level, floor(lon * (64 << level) / 360.0)::int, floor(lat * (64 << level) / 360.0)::int, closed,
           count(*), sum(lon), sum(lat), {_KIND_SUMS}
    FROM ({_ROWS.format(n=1, rows="stations")} WHERE r.deleted_at IS NULL) AS d,
         generate_series(0, {LEVELS - 1}) AS level
    GROUP BY 1, 2, 3, 4
"""
_MOVED = """
    FROM old_rows AS o JOIN new_rows AS w USING (id)
    WHERE (o.deleted_at IS NULL) <> (w.deleted_at IS NULL) OR (o.status = 'closed') <> (w.status = 'closed')
       OR ST_X(o.geom) <> ST_X(w.geom) OR ST_Y(o.geom) <> ST_Y(w.geom) OR o.kind <> w.kind
"""
FOLLOW = f"""
CREATE OR REPLACE FUNCTION station_cells_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS ({_ROWS.format(n=1, rows="new_rows")} WHERE r.deleted_at IS NULL) {_APPEND};
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS ({_ROWS.format(n=-1, rows="old_rows")} WHERE r.deleted_at IS NULL) {_APPEND};
    ELSE  -- only the rows whose place, deletion, closure or kind changed
        WITH moved AS (SELECT o.id {_MOVED}),
        delta AS (
            {_ROWS.format(n=-1, rows="old_rows")} WHERE r.deleted_at IS NULL AND r.id IN (SELECT id FROM moved)
            UNION ALL
            {_ROWS.format(n=1, rows="new_rows")} WHERE r.deleted_at IS NULL AND r.id IN (SELECT id FROM moved)
        ) {_APPEND};
    END IF;
    RETURN NULL;
END
$$
"""
GUARD = """
CREATE OR REPLACE FUNCTION station_cell_deltas_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;  -- a fold that does not know the kinds' sums would drop them: the row stays for one that does
END
$$;
DROP TRIGGER IF EXISTS station_cell_deltas_keep ON station_cell_deltas;
CREATE TRIGGER station_cell_deltas_keep BEFORE DELETE ON station_cell_deltas FOR EACH ROW
    WHEN (current_setting('stations.cells_fold', true) IS DISTINCT FROM 'kinds')
    EXECUTE FUNCTION station_cell_deltas_keep()
"""

def upgrade() -> None:
    op.execute("LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE")  # no write between the rebuild and the triggers
    columns = ", ".join(f"ADD COLUMN {c} {'integer' if c.endswith('count') else 'float8'} NOT NULL DEFAULT 0"
                        for c in COLUMNS)
    op.execute(f"ALTER TABLE station_cells {columns}")
    op.execute("ALTER TABLE station_cell_deltas ADD COLUMN kind varchar(32)")  # NULL: a row of before 0027 (none)
    op.execute(FOLLOW)
    op.execute(GUARD)
    op.execute("TRUNCATE station_cells, station_cell_deltas")
    op.execute(REBUILD)


def downgrade() -> None:
    """Back to 0022's trigger function; the totals the cells and deltas hold stay right (they never lost any)."""
    scale_paths = Path(__file__).with_name("2026_12_07_0022_scale_paths.py")
    spec = importlib.util.spec_from_file_location("scale_paths_0022", scale_paths)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    op.execute("LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE")
    for event in ("insert", "update", "delete", "truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS station_cells_{event} ON stations")
    op.execute(module.CELLS_TRIGGER)  # its function and the four triggers, as 0022 created them
    op.execute("DROP TRIGGER IF EXISTS station_cell_deltas_keep ON station_cell_deltas")
    op.execute("DROP FUNCTION IF EXISTS station_cell_deltas_keep()")
    op.execute("ALTER TABLE station_cells " + ", ".join(f"DROP COLUMN {c}" for c in COLUMNS))
    op.execute("ALTER TABLE station_cell_deltas DROP COLUMN kind")
