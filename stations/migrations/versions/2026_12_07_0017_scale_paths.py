"""Fast everywhere at a million stations (issue 21): the nearest lookup's take-while scan.

`nearest_live_within(lon, lat, cap)`: live stations in order of sphere metres from the point (the KNN scan of
ix_stations_geog), stopping at the first one farther than `cap`, each with its spheroid metres. SQL cannot stop an
ordered scan on a condition (a LIMIT needs the count up front), and a `ST_DWithin` box around a far point holds whole
cities that lie outside the circle: this is the nearest lookup's exact fallback (stations/db/nearest_sql.py).

Only a new function: nothing running today calls it, so it is safe in a rolling deploy.

Revision ID: 0017_scale_paths
Revises: 0016_rate_limits
Create Date: 2026-12-07
"""

from alembic import op

revision = "0017_scale_paths"
down_revision = "0016_rate_limits"
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


def upgrade() -> None:
    op.execute(NEAREST_LIVE_WITHIN)


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS nearest_live_within(float8, float8, float8)")
