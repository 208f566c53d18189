"""`stations webhooks add|list|deliver --once|remove` on the live database with a local receiver."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from stations.cli import main
from tests.sync import writes
from tests.sync.receiver import receiving


def test_webhooks_cli_round_trip(
    live_sessions: sessionmaker[Session], live_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATIONS_DATABASE_URL", live_database_url)
    monkeypatch.setenv("STATIONS_LOG_FORMAT", "console")
    monkeypatch.setenv("STATIONS_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8")  # the receiver is local
    runner = CliRunner()
    refused = runner.invoke(main, ["webhooks", "add", "gopher://example.com/"])
    assert refused.exit_code == 1 and "must start with http:// or https://" in refused.output
    with receiving("") as receiver:
        added = runner.invoke(
            main, ["webhooks", "add", receiver.url, "--region", "620100", "--kind", "outdoor_station"]
        )
        assert added.exit_code == 0, added.output
        match = re.search(r"webhook (\d+) .* secret: (whsec_\S+)", added.output)
        assert match, added.output
        receiver.secret = match.group(2)
        with live_sessions() as session, session.begin():
            writes.create(session)
        delivered = runner.invoke(main, ["webhooks", "deliver", "--once"])
        assert delivered.exit_code == 0 and "queued 1, delivered 1" in delivered.output, delivered.output
    assert len(receiver.posts) == 1 and receiver.posts[0].signature_ok
    listed = runner.invoke(main, ["webhooks", "list"]).output
    assert f"{match.group(1)}\t{receiver.url}\tregion 620100\toutdoor_station\tcursor 1\t0 pending" in listed
    assert "whsec_" not in listed
    assert "removed" in runner.invoke(main, ["webhooks", "remove", match.group(1)]).output
    assert runner.invoke(main, ["webhooks", "list"]).output == ""
