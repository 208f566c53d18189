"""Migrations build the schema the code expects, with the spatial indexes, and run both ways."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import uvicorn
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import Connection, create_engine, inspect, text

from stations.cli import main
from stations.db import migrate
from tests.support import empty_database


def test_schema_has_registry_tables_and_postgis(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    assert {"sites", "stations", "provider_listings", "sign_serials"} <= tables
    geom_type = connection.execute(
        text("SELECT type, srid FROM geometry_columns WHERE f_table_name = 'stations'")
    ).one()
    assert tuple(geom_type) == ("POINT", 4326)


def test_geography_expression_index_exists(connection: Connection) -> None:
    indexdef = connection.execute(
        text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_stations_geog'")
    ).scalar_one()
    assert "gist (geography(geom))" in indexdef


def test_downgrade_then_upgrade_round_trips(connection: Connection) -> None:
    migrate.downgrade(connection=connection, revision="base")
    assert "stations" not in inspect(connection).get_table_names()
    migrate.upgrade(connection=connection)
    assert "stations" in inspect(connection).get_table_names()


def test_change_snapshots_are_compressed_with_lz4_where_the_server_has_it(connection: Connection) -> None:
    has_lz4 = connection.execute(text(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")).scalar()
    methods = connection.execute(text(
        "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'station_changes'::regclass "
        "AND attname IN ('before', 'after')")).all()
    assert dict(methods) == ({"before": "l", "after": "l"} if has_lz4 else {"before": "", "after": ""})


def test_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision"


def test_two_migrators_at_once_both_succeed_the_second_finding_nothing_to_do() -> None:
    """N containers starting together used to race on `stations db migrate`; now the second waits for the first."""
    with empty_database(f"stations_migrators_{os.getpid()}") as url:
        env = os.environ | {"STATIONS_DATABASE_URL": url, "STATIONS_LOG_FORMAT": "console"}
        command = [str(Path(sys.executable).parent / "stations"), "db", "migrate"]
        runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
        outputs = [run.communicate(timeout=120)[0].decode() for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert not migrate.pending(url=url)
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        engine.dispose()


def test_pending_says_whether_the_database_lacks_this_codes_revisions() -> None:
    with empty_database(f"stations_pending_{os.getpid()}") as url:
        assert migrate.pending(url=url)  # nothing applied
        migrate.upgrade(url=url, revision="0010_login_throttle")
        assert migrate.pending(url=url)
        migrate.upgrade(url=url)
        assert not migrate.pending(url=url)
        engine = create_engine(url)
        with engine.begin() as conn:  # a newer version of the code migrated further (a rolling deploy)
            conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
        engine.dispose()
        assert not migrate.pending(url=url)


def test_serve_told_not_to_migrate_leaves_the_schema_alone_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    with empty_database(f"stations_unmigrated_{os.getpid()}") as url:
        env = {"STATIONS_DATABASE_URL": url, "STATIONS_MIGRATE_ON_START": "false", "STATIONS_LOG_FORMAT": "console"}
        result = CliRunner().invoke(main, ["serve", "--port", "8999"], env=env)
        assert result.exit_code == 0, result.output
        assert len(served) == 1 and "database_not_migrated" in result.output
        engine = create_engine(url)
        with engine.connect() as conn:
            assert "alembic_version" not in inspect(conn).get_table_names()
        engine.dispose()
