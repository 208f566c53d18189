-- The nearest lookup as a tipg function collection (bench databases only): the statement our endpoint prepares for
-- an unfiltered lookup (stations/db/nearest_sql.py: straight-line KNN on ix_stations_ecef, re-ranked by spheroid
-- metres, the take-while fallback), with k a parameter. Same SQL, so ours/tipg compares the serving code.
CREATE OR REPLACE FUNCTION public.nearest_stations(lon float8 DEFAULT 116.4, lat float8 DEFAULT 39.9, k int DEFAULT 10)
RETURNS TABLE (id bigint, kind varchar, name varchar, address varchar, hours text, sign_code varchar,
               distance_m float8, geom geometry(Point, 4326))
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH origin AS MATERIALIZED (
        SELECT ecef(ST_SetSRID(ST_MakePoint(lon, lat), 4326)) AS here
    ), near AS MATERIALIZED (
        SELECT s.id, s.geom, ecef(s.geom) <<->> (SELECT here FROM origin) AS chord
        FROM stations s
        WHERE s.deleted_at IS NULL AND s.status <> 'closed'
        ORDER BY ecef(s.geom) <<->> (SELECT here FROM origin)
        LIMIT 2 * k
    ), ranked AS MATERIALIZED (
        SELECT n.id, n.chord, ST_Distance(geography(n.geom), geography(ST_SetSRID(ST_MakePoint(lon, lat), 4326)))
               AS metres
        FROM near n
    ), kth AS MATERIALIZED (
        SELECT r.metres FROM ranked r ORDER BY r.metres OFFSET k - 1 LIMIT 1
    ), bound AS MATERIALIZED (
        SELECT (SELECT kth.metres FROM kth) AS metres,
               count(*) < 2 * k OR max(r.chord) > (SELECT kth.metres FROM kth) + 0.01 AS complete
        FROM ranked r
    )
    SELECT s.id, s.kind, s.name, s.address, s.hours, s.sign_code, c.metres AS distance_m, s.geom
    FROM (
        SELECT r.id, r.metres FROM ranked r WHERE (SELECT complete FROM bound)
        UNION ALL
        SELECT f.id, f.metres FROM nearest_live_chord(lon, lat, (SELECT metres + 0.01 FROM bound)) f
        WHERE NOT (SELECT complete FROM bound)
    ) AS c JOIN stations s USING (id)
    ORDER BY distance_m, s.id
    LIMIT k
$$;
