"""The unfiltered nearest lookup orders stations by their straight-line distance on the WGS-84 ellipsoid.

`ecef(geom)`: a point's Earth-centred coordinates (metres, on the ellipsoid's surface), and `ix_stations_ecef`, an n-D
GiST index of it over the live stations. A geodesic on the ellipsoid is a path between two points of its surface, so
it is never shorter than the straight line between them: ordering by that line (`<<->>`) visits stations in an order
whose distances bound the spheroid metres from below, within d^3 / 24R^2 (28 m at 300 km, 1 m at 100 km). The sphere
metres used before differ from the spheroid's by up to 0.6%: around a far city that is a ring kilometres wide, and
every station in it had to be ranked (docs/performance.md). `nearest_live_chord(lon, lat, cap)` is the take-while scan
over the new index. The function is one SQL expression, so the planner inlines it and matches the index; PostGIS's
functions are named with their schema so that no caller's search_path changes what the index holds.

Rolling deploy: a new function, index and function; `nearest_live_within` stays for the code of the release before.
CREATE INDEX takes SHARE on stations while it builds (writes wait; measured at 1M: docs/performance.md).

Revision ID: 0026_chord_nearest
Revises: 0022_scale_paths
Create Date: 2026-12-07
"""

from alembic import op
from sqlalchemy import text

revision = "0026_chord_nearest"
down_revision = "0022_scale_paths"
branch_labels = None
depends_on = None

# WGS-84: a = 6378137 m, e^2 = 0.00669437999014 (PostGIS's spheroid for SRID 4326). N = a / sqrt(1 - e^2 sin^2 lat).
_N = "6378137.0 / sqrt(1 - 0.00669437999014 * sin(radians({s}.st_y(g))) ^ 2)"
ECEF = """
CREATE OR REPLACE FUNCTION ecef(g {s}.geometry) RETURNS {s}.geometry
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT {s}.st_makepoint(
        {n} * cos(radians({s}.st_y(g))) * cos(radians({s}.st_x(g))),
        {n} * cos(radians({s}.st_y(g))) * sin(radians({s}.st_x(g))),
        {n} * (1 - 0.00669437999014) * sin(radians({s}.st_y(g))))
$$
"""
INDEX = """
CREATE INDEX ix_stations_ecef ON stations USING gist (ecef(geom) {s}.gist_geometry_ops_nd)
WHERE deleted_at IS NULL AND status <> 'closed'
"""
NEAREST_LIVE_CHORD = """
CREATE OR REPLACE FUNCTION nearest_live_chord(p_lon float8, p_lat float8, p_cap float8)
RETURNS TABLE (id bigint, metres float8) LANGUAGE plpgsql STABLE PARALLEL SAFE
-- Its query has no LIMIT, so the planner would sort the whole table: a sort is what this function exists to avoid.
ROWS 10 SET enable_sort = off AS $$
DECLARE
    origin {s}.geometry := {s}.st_setsrid({s}.st_makepoint(p_lon, p_lat), 4326);
    here {s}.geometry := ecef(origin);
    r record;
BEGIN
    -- A FOR loop reads its query through a cursor, a few rows at a time: the KNN scan stops where the loop does.
    FOR r IN SELECT s.id, s.geom, ecef(s.geom) OPERATOR({s}.<<->>) here AS chord FROM stations AS s
             WHERE s.deleted_at IS NULL AND s.status <> 'closed'
             ORDER BY ecef(s.geom) OPERATOR({s}.<<->>) here LOOP
        EXIT WHEN r.chord > p_cap;
        id := r.id;
        metres := {s}.st_distance({s}.geography(r.geom), {s}.geography(origin));
        RETURN NEXT;
    END LOOP;
END
$$
"""


def upgrade() -> None:
    # regnamespace's text is a quoted identifier where one is needed.
    s = op.get_bind().execute(
        text("SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'postgis'")).scalar_one()
    op.execute(ECEF.format(s=s, n=_N.format(s=s)))
    op.execute(INDEX.format(s=s))
    op.execute(NEAREST_LIVE_CHORD.format(s=s))


def downgrade() -> None:
    op.execute("DROP FUNCTION IF EXISTS nearest_live_chord(float8, float8, float8)")
    op.execute("DROP INDEX IF EXISTS ix_stations_ecef")
    op.execute("DROP FUNCTION IF EXISTS ecef(geometry)")
