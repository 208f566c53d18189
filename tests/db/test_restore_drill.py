"""The restore drill (scripts/restore_drill.py) runs: dump, restore into a new database, compare, clean up."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, text

from tests.support import Registry

DRILL = Path(__file__).resolve().parents[2] / "scripts" / "restore_drill.py"
STATION = text("INSERT INTO stations (kind, name, address, adcode, geom, sign_code) VALUES ('outdoor_station', "
               "'演练驿站', '甘肃省兰州市城关区示例路1号', '620102', "
               "ST_SetSRID(ST_MakePoint(103.8343, 36.0611), 4326), 'DRILL-1') RETURNING id")


def test_the_drill_restores_an_equal_copy_and_drops_it(database_url: str, registry: Registry, engine: Engine) -> None:
    registry.insert(STATION, {})
    result = subprocess.run([sys.executable, str(DRILL)], env=os.environ | {"STATIONS_DATABASE_URL": database_url},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the copy is the registry" in result.stdout and "DIFFERENT" not in result.stdout
    found = re.search(r"nearest lookups at 8 city centres \((\d+) found\)", result.stdout)
    assert found and int(found.group(1)) >= 8  # our station answers at every centre, on both databases
    with engine.connect() as conn:
        left = conn.execute(text("SELECT count(*) FROM pg_database WHERE datname LIKE '%\\_drill\\_%'")).scalar_one()
    assert left == 0
