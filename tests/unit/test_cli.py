"""The `stations` command: bad configuration and bad arguments give one clear line and non-zero exit."""

from __future__ import annotations

from click.testing import CliRunner

from stations.cli import main


def test_bad_database_url_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["db", "migrate"], env={"STATIONS_DATABASE_URL": "mysql://x@y/z"})
    assert result.exit_code == 2
    assert "bad configuration: STATIONS_DATABASE_URL" in result.output
    assert "PostgreSQL URL like postgresql://" in result.output


def test_unreachable_database_is_one_line_not_a_traceback() -> None:
    env = {"STATIONS_DATABASE_URL": "postgresql://nobody:x@127.0.0.1:9/none"}
    result = CliRunner().invoke(main, ["db", "migrate"], env=env)
    assert result.exit_code == 1
    assert result.output.startswith("error: cannot reach the database:")
    assert "Traceback" not in result.output


def test_db_up_refuses_when_an_external_database_is_configured() -> None:
    env = {"STATIONS_DATABASE_URL": "postgresql://u:p@127.0.0.1:5432/x"}
    result = CliRunner().invoke(main, ["db", "up"], env=env)
    assert result.exit_code == 2
    assert "no local one is started" in result.output


def test_seed_count_must_be_positive() -> None:
    result = CliRunner().invoke(main, ["seed", "--demo", "--count", "0"])
    assert result.exit_code == 2
    assert "--count" in result.output
