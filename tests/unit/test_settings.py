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
