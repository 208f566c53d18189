"""Dry run then apply of bench.writes' N-row clerk CSV on the database at $URL (a scratch one: emptied first).

Usage: URL=postgresql+psycopg://... PYTHONPATH=<tree> python bench/writes_import.py N
"""

from __future__ import annotations

import json
import os
import sys

from sqlalchemy import create_engine, text


def main() -> None:
    from bench import writes

    engine = create_engine(os.environ["URL"])
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes RESTART IDENTITY CASCADE"))
    engine.dispose()
    print(writes.__file__, json.dumps(writes.import_run(os.environ["URL"], int(sys.argv[1]))), flush=True)


if __name__ == "__main__":
    main()
