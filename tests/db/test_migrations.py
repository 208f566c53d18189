"""Migrations build the schema the code expects, with the spatial indexes, and run both ways."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from stations.db import migrate


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


def test_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(migrate.alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: add a merge revision"
