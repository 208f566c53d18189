"""Cluster aggregates down to level 11 (issue 21): dense city tiles from z10 on carry clusters, read from the cells.

`station_cells` kept levels 0-9 (cells of 360 / 2^(level + 6) degrees). A tile from z10 on that would carry more
stations than its budget (stations/services/feeds/tiles.py) shows its dense cells as clusters, with the cells of level
z - 1 (32 to the tile's width), finest 11: levels 10 and 11 are added here. The trigger function is replaced (same
triggers, same deltas, two more levels in its generate_series) and the new levels are backfilled.

Rolling deploy: a replaced function and new rows. The lock on stations (SHARE ROW EXCLUSIVE) keeps writes out between
the backfill and the new function, so no write is counted at levels 10-11 twice or not at all; reads do not wait.
Downgrade: the function of 0022 again, and the rows of levels 10-11 gone.

Revision ID: 0023_finer_cells
Revises: 0022_scale_paths
Create Date: 2026-12-07
"""

from alembic import op

revision = "0023_finer_cells"
down_revision = "0022_scale_paths"
branch_labels = None
depends_on = None


def _function(levels: int) -> str:
    """station_cells_follow() as in 0022, with levels 0..levels-1."""
    grouped = f"""
        INSERT INTO station_cell_deltas (level, cx, cy, closed, count, sum_lon, sum_lat)
        SELECT level, floor(lon * (64 << level) / 360.0)::int, floor(lat * (64 << level) / 360.0)::int, closed,
               sum(n), sum(n * lon), sum(n * lat)
        FROM delta, generate_series(0, {levels - 1}) AS level
        GROUP BY 1, 2, 3, 4"""
    rows = "SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, status = 'closed' AS closed, {n} AS n FROM {rows} AS r"
    moved = """
        FROM old_rows AS o JOIN new_rows AS w USING (id)
        WHERE (o.deleted_at IS NULL) <> (w.deleted_at IS NULL) OR (o.status = 'closed') <> (w.status = 'closed')
           OR ST_X(o.geom) <> ST_X(w.geom) OR ST_Y(o.geom) <> ST_Y(w.geom)"""
    return f"""
CREATE OR REPLACE FUNCTION station_cells_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS ({rows.format(n=1, rows="new_rows")} WHERE r.deleted_at IS NULL) {grouped};
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS ({rows.format(n=-1, rows="old_rows")} WHERE r.deleted_at IS NULL) {grouped};
    ELSE  -- only the rows whose place, deletion or closure changed
        WITH moved AS (SELECT o.id {moved}),
        delta AS (
            {rows.format(n=-1, rows="old_rows")} WHERE r.deleted_at IS NULL AND r.id IN (SELECT id FROM moved)
            UNION ALL
            {rows.format(n=1, rows="new_rows")} WHERE r.deleted_at IS NULL AND r.id IN (SELECT id FROM moved)
        ) {grouped};
    END IF;
    RETURN NULL;
END
$$
"""


BACKFILL = """
    INSERT INTO station_cells AS c (level, cx, cy, closed, count, sum_lon, sum_lat)
    SELECT level, floor(ST_X(geom) * (64 << level) / 360.0)::int, floor(ST_Y(geom) * (64 << level) / 360.0)::int,
           status = 'closed', count(*), sum(ST_X(geom)), sum(ST_Y(geom))
    FROM stations, generate_series(10, 11) AS level
    WHERE deleted_at IS NULL
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (level, cx, cy, closed) DO UPDATE
    SET count = c.count + excluded.count, sum_lon = c.sum_lon + excluded.sum_lon,
        sum_lat = c.sum_lat + excluded.sum_lat
"""


def upgrade() -> None:
    op.execute("LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE")
    op.execute(_function(12))
    op.execute(BACKFILL)


def downgrade() -> None:
    op.execute("LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE")
    op.execute(_function(10))
    op.execute("DELETE FROM station_cells WHERE level >= 10")
    op.execute("DELETE FROM station_cell_deltas WHERE level >= 10")
