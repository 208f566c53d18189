"""Fast everywhere at a million stations (issue 21): the nearest lookup's take-while scan; cluster aggregates.

`nearest_live_within(lon, lat, cap)`: live stations in order of sphere metres from the point (the KNN scan of
ix_stations_geog), stopping at the first one farther than `cap`, each with its spheroid metres. SQL cannot stop an
ordered scan on a condition (a LIMIT needs the count up front), and a `ST_DWithin` box around a far point holds whole
cities that lie outside the circle: this is the nearest lookup's exact fallback (stations/db/nearest_sql.py).

`station_cells`: per grid level 0-9 (a cell of 360 / 2^(level + 6) degrees: 64 to a Web Mercator tile's width at
zoom = level), per cell and closed or not, the count and coordinate sums of the stations not deleted. Statement-level
triggers on stations (transition tables: one grouped insert per statement, so a COPY of 10,000 rows is one insert)
append what each statement changed to `station_cell_deltas`; the app folds committed deltas into `station_cells` every
few seconds (`stations.services.registry.cells`), and readers add the deltas not folded yet, so what they read is
current to their snapshot. Appending takes no lock a second writer waits for: upserting the cells directly made two
writers in one region wait for each other until the first committed (and could deadlock across statements).

Rolling deploy: a new function, table and triggers. CREATE TRIGGER takes SHARE ROW EXCLUSIVE on stations, so writes
wait while the backfill runs in the same transaction (measured at 1M: docs/performance.md); reads do not.

Revision ID: 0022_scale_paths
Revises: 0021_demand
Create Date: 2026-12-07
"""

from alembic import op

revision = "0022_scale_paths"
down_revision = "0021_demand"
branch_labels = None
depends_on = None

NEAREST_LIVE_WITHIN = """
CREATE OR REPLACE FUNCTION nearest_live_within(p_lon float8, p_lat float8, p_cap float8)
RETURNS TABLE (id bigint, metres float8) LANGUAGE plpgsql STABLE PARALLEL SAFE
-- Its query has no LIMIT, so the planner would sort the whole table: a sort is what this function exists to avoid.
ROWS 10 SET enable_sort = off AS $$
DECLARE
    origin geography := geography(ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326));
    r record;
BEGIN
    -- A FOR loop reads its query through a cursor, a few rows at a time: the KNN scan stops where the loop does.
    FOR r IN SELECT s.id, s.geom, geography(s.geom) <-> origin AS sphere_m FROM stations AS s
             WHERE s.deleted_at IS NULL AND s.status <> 'closed'
             ORDER BY geography(s.geom) <-> origin LOOP
        EXIT WHEN r.sphere_m > p_cap;
        id := r.id;
        metres := ST_Distance(geography(r.geom), origin);
        RETURN NEXT;
    END LOOP;
END
$$
"""


LEVELS = 10
CELLS = """
CREATE TABLE station_cells (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    closed boolean NOT NULL,
    count integer NOT NULL,
    sum_lon float8 NOT NULL,
    sum_lat float8 NOT NULL,
    PRIMARY KEY (level, cx, cy, closed)
);
CREATE TABLE station_cell_deltas (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    closed boolean NOT NULL,
    count integer NOT NULL,
    sum_lon float8 NOT NULL,
    sum_lat float8 NOT NULL
);
CREATE INDEX ix_station_cell_deltas ON station_cell_deltas (level, cx, cy)
"""
# What a set of (lon, lat, closed, n) rows adds to every level's cells, n = 1 for a station that came, -1 for one
# that went; `delta` is the name of that set.
_GROUPED = f"""
    SELECT level, floor(lon * (64 << level) / 360.0)::int, floor(lat * (64 << level) / 360.0)::int, closed,
           sum(n), sum(n * lon), sum(n * lat)
    FROM delta, generate_series(0, {LEVELS - 1}) AS level
    GROUP BY 1, 2, 3, 4
"""
_APPEND = "INSERT INTO station_cell_deltas (level, cx, cy, closed, count, sum_lon, sum_lat)" + _GROUPED
_UPSERT = f"""
    INSERT INTO station_cells AS c (level, cx, cy, closed, count, sum_lon, sum_lat) {_GROUPED}
    ON CONFLICT (level, cx, cy, closed) DO UPDATE
    SET count = c.count + excluded.count, sum_lon = c.sum_lon + excluded.sum_lon,
        sum_lat = c.sum_lat + excluded.sum_lat
"""
_ROWS = "SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, status = 'closed' AS closed, {n} AS n FROM {rows} AS r"
_MOVED = """
    FROM old_rows AS o JOIN new_rows AS w USING (id)
    WHERE (o.deleted_at IS NULL) <> (w.deleted_at IS NULL) OR (o.status = 'closed') <> (w.status = 'closed')
       OR ST_X(o.geom) <> ST_X(w.geom) OR ST_Y(o.geom) <> ST_Y(w.geom)
"""
CELLS_TRIGGER = f"""
CREATE OR REPLACE FUNCTION station_cells_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS ({_ROWS.format(n=1, rows="new_rows")} WHERE r.deleted_at IS NULL) {_APPEND};
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS ({_ROWS.format(n=-1, rows="old_rows")} WHERE r.deleted_at IS NULL) {_APPEND};
    ELSE  -- only the rows whose place, deletion or closure changed
        WITH moved AS (SELECT o.id {_MOVED}),
        delta AS (
            {_ROWS.format(n=-1, rows="old_rows")} WHERE r.deleted_at IS NULL AND r.id IN (SELECT id FROM moved)
            UNION ALL
            {_ROWS.format(n=1, rows="new_rows")} WHERE r.deleted_at IS NULL AND r.id IN (SELECT id FROM moved)
        ) {_APPEND};
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER station_cells_insert AFTER INSERT ON stations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION station_cells_follow();
CREATE TRIGGER station_cells_update AFTER UPDATE ON stations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION station_cells_follow();
CREATE TRIGGER station_cells_delete AFTER DELETE ON stations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION station_cells_follow();
CREATE OR REPLACE FUNCTION station_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE station_cells, station_cell_deltas;
    RETURN NULL;
END
$$;
CREATE TRIGGER station_cells_truncate AFTER TRUNCATE ON stations
    FOR EACH STATEMENT EXECUTE FUNCTION station_cells_truncate();
"""
BACKFILL = f"""
    WITH delta AS ({_ROWS.format(n=1, rows="stations")} WHERE r.deleted_at IS NULL) {_UPSERT}
"""


def upgrade() -> None:
    op.execute(NEAREST_LIVE_WITHIN)
    op.execute(CELLS)
    op.execute("LOCK TABLE stations IN SHARE ROW EXCLUSIVE MODE")  # no write between the backfill and the triggers
    op.execute(CELLS_TRIGGER)
    op.execute(BACKFILL)


def downgrade() -> None:
    for event in ("insert", "update", "delete", "truncate"):
        op.execute(f"DROP TRIGGER IF EXISTS station_cells_{event} ON stations")
    op.execute("DROP FUNCTION IF EXISTS station_cells_follow()")
    op.execute("DROP FUNCTION IF EXISTS station_cells_truncate()")
    op.execute("DROP TABLE IF EXISTS station_cell_deltas")
    op.execute("DROP TABLE IF EXISTS station_cells")
    op.execute("DROP FUNCTION IF EXISTS nearest_live_within(float8, float8, float8)")
