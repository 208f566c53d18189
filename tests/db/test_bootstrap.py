"""`stations serve`'s first load: an empty database gets the sample and demo stations, once."""

from __future__ import annotations

import csv
import os

from sqlalchemy import create_engine, text

from stations.services import stored_links
from stations.services.bootstrap import SAMPLE, prepare_database
from stations.settings import Settings
from tests.support import migrated_database


def test_empty_database_is_loaded_once() -> None:
    with migrated_database(f"stations_boot_{os.getpid()}") as url:
        settings = Settings(database_url=url, demo_count=50)
        prepare_database(settings)
        prepare_database(settings)  # a second `make run` must not load again
        engine = create_engine(url)
        with engine.connect() as conn:
            names = conn.execute(text("SELECT name FROM stations")).scalars().all()
            created = conn.execute(text("SELECT count(*) FROM station_changes WHERE action = 'create'")).scalar()
        engine.dispose()
    with SAMPLE.open(encoding="utf-8") as handle:
        sample_rows = sum(1 for _ in csv.DictReader(handle))
    assert len(names) == 50 + sample_rows  # demo stations plus the hand-made sample
    assert all("示例" in name for name in names)
    assert created == len(names)


def test_a_restart_stores_the_link_parts_of_stations_without_current_ones() -> None:
    with migrated_database(f"stations_boot_links_{os.getpid()}") as url:
        settings = Settings(database_url=url, demo_count=30)
        prepare_database(settings)
        engine = create_engine(url)
        with engine.begin() as conn:  # as after an upgrade, or a write that skipped them
            conn.execute(text("DELETE FROM station_links WHERE station_id % 2 = 0"))
            conn.execute(text("UPDATE stations SET name = name || '（改）', version = version + 1 WHERE id % 3 = 0"))
            before = stored_links.count_missing(conn)
        prepare_database(settings)
        with engine.connect() as conn:
            after = stored_links.count_missing(conn)
            stations, stored = conn.execute(text(
                "SELECT (SELECT count(*) FROM stations), (SELECT count(*) FROM station_links)")).one()
        engine.dispose()
    assert before > 15 and after == 0 and stored == stations
