"""The embedded cluster tells exactly what to install when PostgreSQL or PostGIS is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from stations.db import local
from stations.errors import SetupError


def test_missing_postgis_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bindir = tmp_path / "postgresql" / "17" / "bin"
    bindir.mkdir(parents=True)
    monkeypatch.setattr(local, "pg_bindir", lambda: bindir)
    with pytest.raises(SetupError, match=r"apt-get install -y postgresql-17-postgis-3"):
        local.check_postgis_installed()


def test_missing_server_names_the_packages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(local.shutil, "which", lambda name: None)
    monkeypatch.setattr(local, "Path", _NoPostgresPath)
    with pytest.raises(SetupError, match="postgresql-15-postgis-3"):
        local.pg_bindir()


def test_installed_postgis_is_found() -> None:
    local.check_postgis_installed()  # this machine has it: the suite runs on it


class _NoPostgresPath(type(Path())):  # type: ignore[misc]
    """A Path whose /usr/lib/postgresql holds nothing."""

    def glob(self, pattern: str):  # type: ignore[no-untyped-def,override]
        return iter(())


@pytest.mark.parametrize(("memory_gb", "expected_mb"), [(0.5, 128), (4, 512), (8, 1024), (64, 2048)])
def test_shared_buffers_follow_memory_within_bounds(
    monkeypatch: pytest.MonkeyPatch, memory_gb: float, expected_mb: int
) -> None:
    pages = {"SC_PAGE_SIZE": 4096, "SC_PHYS_PAGES": int(memory_gb * 2**30) // 4096}
    monkeypatch.setattr(local.os, "sysconf", lambda name: pages[name])
    assert local.shared_buffers_mb() == expected_mb
