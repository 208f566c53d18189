"""Seed N demo stations (one transaction) into the database at $URL (a scratch one: emptied first) and print the
time and an md5 per table of everything but the timestamps, so two versions of the bulk writer can be compared.

Usage: URL=postgresql+psycopg://... PYTHONPATH=<tree> python bench/writes_digest.py N [md5]
"""

from __future__ import annotations

import os
import sys
import time

from sqlalchemy import create_engine, text

DIGESTS = {
    "stations": "SELECT md5(string_agg((to_jsonb(s) - 'created_at' - 'updated_at')::text, '|' ORDER BY id)) "
                "FROM stations s",
    "sites": "SELECT md5(string_agg((to_jsonb(s) - 'created_at')::text, '|' ORDER BY id)) FROM sites s",
    "listings": "SELECT md5(string_agg(to_jsonb(l)::text, '|' ORDER BY station_id, provider)) FROM provider_listings l",
    "changes": "SELECT md5(string_agg((to_jsonb(c) - 'changed_at' #- '{after,properties,updated_at}')::text, '|' "
               "ORDER BY id)) FROM station_changes c",
    "serials": "SELECT md5(string_agg(to_jsonb(x)::text, '|' ORDER BY adcode, kind)) FROM sign_serials x",
    "deltas": "SELECT md5(string_agg(to_jsonb(x)::text, '|' ORDER BY level, cx, cy, closed, count, sum_lon, sum_lat)) "
              "FROM station_cell_deltas x",
}


def main() -> None:
    from stations.services.registry import seed

    count = int(sys.argv[1])
    engine = create_engine(os.environ["URL"])
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes RESTART IDENTITY CASCADE"))
    started = time.perf_counter()
    with engine.begin() as connection:
        seed.seed_demo(connection=connection, count=count, seed=20261125)
    print(seed.__file__, f"seeded {count} in {time.perf_counter() - started:.2f} s", flush=True)
    if "md5" in sys.argv[2:]:
        with engine.begin() as connection:
            for table, digest in DIGESTS.items():
                print(table, connection.execute(text(digest)).scalar())
    engine.dispose()


if __name__ == "__main__":  # builder processes are spawned: they import this module, never run it
    main()
