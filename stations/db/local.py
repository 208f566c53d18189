"""The embedded PostgreSQL + PostGIS cluster used when no STATIONS_DATABASE_URL is set."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from stations.errors import SetupError
from stations.settings import Settings

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install -y postgresql-15 postgresql-15-postgis-3"
RELOCATED_ROOT = Path("/var/lib/stations/clusters")
"""Where a root-run cluster lives when the postgres user cannot traverse the project's folder."""


def shared_buffers_mb() -> int:
    """An eighth of this machine's memory, between PostgreSQL's 128 MB default and 2 GB.

    At 1M stations the table and its indexes are 840 MB, which the default cannot hold (docs/performance.md).
    """
    memory_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    return max(128, min(2048, memory_mb // 8))


@dataclass(frozen=True)
class LocalCluster:
    """A private cluster in `<data_dir>/pg`, listening on 127.0.0.1 and a port of our own."""

    data_dir: Path
    port: int
    dbname: str

    @classmethod
    def from_settings(cls, settings: Settings) -> LocalCluster:
        """The cluster the given settings describe (relocated if the postgres user cannot reach it)."""
        data_dir = settings.data_dir / "pg"
        if not _postgres_can_reach(settings.data_dir):
            digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
            data_dir = RELOCATED_ROOT / digest
            log.warning("cluster_relocated", extra={"data_dir": str(data_dir), "for": str(settings.data_dir)})
        return cls(data_dir=data_dir, port=settings.local_db_port, dbname=settings.local_db_name)

    @property
    def pgdata(self) -> Path:
        """The cluster's data directory."""
        return self.data_dir / "data"

    @property
    def password_file(self) -> Path:
        """The file holding the generated superuser password (mode 600)."""
        return self.data_dir / "password"

    def url(self, dbname: str | None = None) -> str:
        """A SQLAlchemy URL for a database of this cluster."""
        if not self.password_file.exists():
            raise SetupError(f"the local database in {self.data_dir} is not set up: run `stations db up`")
        password = self.password_file.read_text().strip()
        return f"postgresql+psycopg://postgres:{password}@127.0.0.1:{self.port}/{dbname or self.dbname}"

    def is_running(self) -> bool:
        """True when this cluster's postmaster is up."""
        if not (self.pgdata / "PG_VERSION").exists():
            return False
        return _run_pg(["pg_ctl", "status", "-D", str(self.pgdata)], check=False).returncode == 0

    def up(self) -> str:
        """Create (first time) and start the cluster, create the database; return its URL."""
        check_postgis_installed()
        if not (self.pgdata / "PG_VERSION").exists():
            self._initdb()
        if not self.is_running():
            self._start()
        self._create_database()
        return self.url()

    def down(self) -> bool:
        """Stop the cluster; return False when it was not running."""
        if not self.is_running():
            return False
        _run_pg(["pg_ctl", "stop", "-D", str(self.pgdata), "-m", "fast", "-w"])
        return True

    def _initdb(self) -> None:
        log.info("initdb", extra={"pgdata": str(self.pgdata)})
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.password_file.write_text(secrets.token_urlsafe(24) + "\n")
        self.password_file.chmod(0o600)
        _give_to_postgres(self.data_dir)
        _run_pg([
            "initdb", "-D", str(self.pgdata), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
            "--auth-local=peer", "--auth-host=scram-sha-256", f"--pwfile={self.password_file}",
        ])

    def _start(self) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} "
                   f"-c shared_buffers={shared_buffers_mb()}MB")
        log_file = self.data_dir / "postgres.log"
        result = _run_pg(
            ["pg_ctl", "start", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(log_file), "-o", options],
            check=False,
        )
        if result.returncode != 0:
            tail = log_file.read_text(errors="replace")[-800:] if log_file.exists() else result.stderr
            raise SetupError(f"the local PostgreSQL did not start on port {self.port}: {tail.strip()}")

    def _create_database(self) -> None:
        import psycopg

        admin = self.url("postgres").replace("+psycopg", "")
        for _ in range(50):
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.dbname,)).fetchone():
                        return
                    conn.execute(f'CREATE DATABASE "{self.dbname}"')
                    return
            except psycopg.OperationalError:
                time.sleep(0.2)
        raise SetupError(f"the local PostgreSQL on port {self.port} does not accept connections")


def pg_bindir() -> Path:
    """The directory of PostgreSQL's server programs, or SetupError saying what to install."""
    pg_config = shutil.which("pg_config")
    candidates = []
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(out.stdout.strip()))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for path in candidates:
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    raise SetupError(f"PostgreSQL server programs (initdb, pg_ctl) are not installed: run `{INSTALL_HINT}`")


def check_postgis_installed() -> None:
    """Raise SetupError naming the package to install when PostGIS is missing for our server."""
    bindir = pg_bindir()
    version = bindir.parent.name  # /usr/lib/postgresql/15/bin -> "15"
    extension_dirs = [Path(f"/usr/share/postgresql/{version}/extension"), bindir.parent / "share/extension"]
    if not any((d / "postgis.control").exists() for d in extension_dirs):
        raise SetupError(
            f"PostGIS is not installed for PostgreSQL {version}: run "
            f"`apt-get install -y postgresql-{version}-postgis-3`"
        )


def _postgres_can_reach(path: Path) -> bool:
    """Whether the postgres user can traverse to `path` (always true when we are not root)."""
    if os.geteuid() != 0:
        return True
    existing = next(p for p in (path, *path.parents) if p.exists())
    probe = subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(existing)], check=False)
    return probe.returncode == 0


def _give_to_postgres(path: Path) -> None:
    """When we are root, hand the cluster folder to the postgres user (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return
    shutil.chown(path, user="postgres", group="postgres")
    for child in path.rglob("*"):
        shutil.chown(child, user="postgres", group="postgres")


def _run_pg(args: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL server program, as the postgres user when we are root."""
    command = [str(pg_bindir() / args[0]), *args[1:]]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")
    if check and result.returncode != 0:
        raise SetupError(f"{args[0]} failed: {(result.stderr or result.stdout).strip()}")
    return result
