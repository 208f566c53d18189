"""Settings: URL normalisation and clear errors for bad configuration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stations.settings import Settings


@pytest.mark.parametrize(
    "given",
    ["postgresql://u:p@db:5432/x", "postgres://u:p@db:5432/x", "postgresql+psycopg://u:p@db:5432/x"],
)
def test_database_url_is_normalised_to_psycopg(given: str) -> None:
    assert Settings(database_url=given).database_url == "postgresql+psycopg://u:p@db:5432/x"


def test_non_postgres_url_is_rejected_with_an_example() -> None:
    with pytest.raises(ValidationError, match="must be a PostgreSQL URL like postgresql://"):
        Settings(database_url="mysql://u:p@db/x")


def test_unset_url_means_embedded_database() -> None:
    settings = Settings(database_url=None)
    assert settings.uses_local_db
    assert settings.data_dir.is_absolute()


def test_read_replicas_are_a_comma_separated_list_of_postgres_urls() -> None:
    settings = Settings(database_url="postgresql://u:p@primary/x",
                        read_database_urls="postgres://u:p@replica1/x, postgresql://u:p@replica2/x")  # type: ignore[arg-type]
    assert settings.read_database_urls == ("postgresql+psycopg://u:p@replica1/x", "postgresql+psycopg://u:p@replica2/x")
    assert Settings(database_url="postgresql://u:p@primary/x").read_database_urls == ()


def test_a_bad_replica_url_names_the_variable() -> None:
    with pytest.raises(ValidationError, match="each of STATIONS_READ_DATABASE_URLS must be a PostgreSQL URL"):
        Settings(database_url="postgresql://u:p@primary/x", read_database_urls="mysql://u:p@replica/x")  # type: ignore[arg-type]


def test_replicas_need_the_primary_they_replicate() -> None:
    with pytest.raises(ValidationError, match="STATIONS_READ_DATABASE_URLS needs STATIONS_DATABASE_URL"):
        Settings(database_url=None, read_database_urls="postgresql://u:p@replica/x")  # type: ignore[arg-type]
