"""`stations serve`'s first load: an empty database gets the sample and demo stations, once."""

from __future__ import annotations

import csv
import os

from sqlalchemy import create_engine, text

from stations.cli.bootstrap import SAMPLE, prepare_database
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
