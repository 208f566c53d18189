-- The nearest lookup as a tipg function collection (bench databases only): the same two-pass geodesic kNN.
CREATE OR REPLACE FUNCTION public.nearest_stations(lon float8 DEFAULT 116.4, lat float8 DEFAULT 39.9, k int DEFAULT 10)
RETURNS TABLE (id bigint, kind varchar, name varchar, address varchar, hours text, sign_code varchar,
               distance_m float8, geom geometry(Point, 4326))
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH bound AS (
        SELECT max(ST_Distance(geography(s.geom), geography(ST_SetSRID(ST_MakePoint(lon, lat), 4326)))) AS metres
        FROM (
            SELECT s.geom FROM stations s
            WHERE s.deleted_at IS NULL AND s.status <> 'closed'
            ORDER BY s.geom <-> ST_SetSRID(ST_MakePoint(lon, lat), 4326)
            LIMIT k
        ) AS s
    )
    SELECT s.id, s.kind, s.name, s.address, s.hours, s.sign_code,
           ST_Distance(geography(s.geom), geography(ST_SetSRID(ST_MakePoint(lon, lat), 4326))) AS distance_m,
           s.geom
    FROM stations s
    WHERE s.deleted_at IS NULL AND s.status <> 'closed'
      AND ST_DWithin(geography(s.geom), geography(ST_SetSRID(ST_MakePoint(lon, lat), 4326)),
                     (SELECT metres + 0.01 FROM bound))
    ORDER BY distance_m, s.id
    LIMIT k
$$;
