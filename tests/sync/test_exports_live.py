"""Exports against committed data: the CLI writes files, the live server streams a large export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from stations.cli import main
from stations.db.models import Station
from stations.geo.crs import Crs, from_wgs84
from stations.services.feeds import exports
from tests.sync import writes


@pytest.fixture
def three(live_sessions: sessionmaker[Session]) -> list[int]:
    with live_sessions() as session, session.begin():
        return [writes.create(session, lon=103.83 + i / 100, lat=36.06).id for i in range(3)]


def test_cli_export_writes_the_amap_file(
    three: list[int], live_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATIONS_DATABASE_URL", live_database_url)
    out = tmp_path / "amap.csv"
    result = CliRunner().invoke(main, ["export", "--format", "amap", "--region", "620100", "--output", str(out)])
    assert result.exit_code == 0, result.output
    records = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(records) == 3
    assert (float(records[0]["经度"]), float(records[0]["纬度"])) == tuple(
        round(v, 6) for v in from_wgs84(103.83, 36.06, Crs.GCJ02)
    )


def test_cli_rejects_a_bad_region(live_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATIONS_DATABASE_URL", live_database_url)
    result = CliRunner().invoke(main, ["export", "--format", "csv", "--region", "abc"])
    assert result.exit_code == 1 and "6 digits" in result.output


def test_live_server_streams_an_export_larger_than_one_batch(
    live_sessions: sessionmaker[Session], live_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "BATCH", 100)  # the server runs in this process: several batches stream
    with live_sessions() as session, session.begin():
        for i in range(250):
            writes.create(session, lon=103.5 + (i % 50) / 100, lat=36.0 + (i // 50) / 200, amenities=[])
    with httpx.stream("GET", f"{live_server}/api/v1/exports/geojson", timeout=60) as reply:
        assert reply.status_code == 200
        assert "content-length" not in reply.headers  # chunked, not buffered
        body = b"".join(reply.iter_bytes())
    assert len(json.loads(body)["features"]) == 250


def test_cli_imports_poi_ids_and_prints_coverage(
    three: list[int], live_sessions: sessionmaker[Session], live_database_url: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STATIONS_DATABASE_URL", live_database_url)
    with live_sessions() as session:
        codes = [session.get(Station, i).sign_code for i in three]  # type: ignore[union-attr]
    csv_file = tmp_path / "amap.csv"
    csv_file.write_text("sign_code,provider,poi_id\n" + "".join(f"{c},amap,B{n}\n" for n, c in enumerate(codes)))
    result = CliRunner().invoke(main, ["listings", "import", str(csv_file)])
    assert result.exit_code == 0, result.output
    assert "3 rows: 3 updated" in result.output
    stats = json.loads(CliRunner().invoke(main, ["listings", "stats", "--region", "620102"]).output)
    assert stats["providers"][0] == {"provider": "amap", "not_listed": 0, "submitted": 0, "listed": 3,
                                     "rejected": 0, "needs_resync": 0}


def test_cli_keys_add_list_revoke(
    live_sessions: sessionmaker[Session], live_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATIONS_DATABASE_URL", live_database_url)
    added = CliRunner().invoke(main, ["keys", "add", "高德地图", "--rate", "120"])
    assert added.exit_code == 0, added.output
    token = added.output.strip().rsplit(" ", 1)[-1]
    assert token.startswith("stk_")
    listed = CliRunner().invoke(main, ["keys", "list"]).output
    assert "高德地图" in listed and "120/min" in listed and "active" in listed and token not in listed
    assert CliRunner().invoke(main, ["keys", "revoke", "1"]).exit_code == 0
    assert "revoked" in CliRunner().invoke(main, ["keys", "list"]).output
    missing = CliRunner().invoke(main, ["keys", "revoke", "999"])
    assert missing.exit_code == 1 and "no API key with id 999" in missing.output
