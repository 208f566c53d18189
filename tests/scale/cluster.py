"""A primary and its streaming replica, two PostgreSQL clusters of the tests' own, so a test may stop either.

Built as the embedded cluster is (stations/db/local.py): initdb with a generated superuser password, servers run as
the `postgres` user when we are root, listening on 127.0.0.1 only. The replica is `pg_basebackup -R -c fast` of the
primary into another folder, started on its own port; it streams over the primary's Unix socket (peer auth, as
`pg_basebackup -R` wrote it). Both are stopped and their folder removed when the context ends, however it ends, and
a folder left by a run that was killed is cleared before a new one starts.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from stations.db import migrate
from stations.db.local import pg_bindir

SERVER_OPTIONS = "-c listen_addresses=127.0.0.1 -c shared_buffers=32MB -c max_connections=60 -c fsync=off"
"""Small servers: a handful of connections each, and nothing here needs to survive a power cut."""


def as_postgres(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run a PostgreSQL program as the postgres user when we are root (PostgreSQL refuses root)."""
    command = [str(pg_bindir() / args[0]), *args[1:]]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd="/", timeout=120)
    if check and result.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {(result.stderr or result.stdout).strip()}")
    return result


def _owned_by_postgres(path: Path) -> None:
    path.mkdir(mode=0o755, parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


@dataclass
class Server:
    """One cluster: its folder (socket and log there, data in `data/`) and port."""

    folder: Path
    port: int

    @property
    def pgdata(self) -> Path:
        """The data directory."""
        return self.folder / "data"

    def start(self) -> None:
        """Start it and wait until it accepts connections (a replica: until it is consistent)."""
        as_postgres("pg_ctl", "start", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(self.folder / "log"),
                    "-o", f"-p {self.port} -k {self.folder} {SERVER_OPTIONS}")

    def stop(self, mode: str = "fast") -> None:
        """Stop it if it runs."""
        if (self.pgdata / "postmaster.pid").exists():
            as_postgres("pg_ctl", "stop", "-D", str(self.pgdata), "-m", mode, "-w", "-t", "60", check=False)


@dataclass
class Replicated:
    """The running pair and what tests do with it."""

    primary: Server
    replica: Server
    password: str

    def url(self, server: Server, dbname: str = "stations") -> str:
        """A SQLAlchemy URL of a database on `server`, over TCP with the superuser's password."""
        return f"postgresql+psycopg://postgres:{self.password}@127.0.0.1:{server.port}/{dbname}"

    def sql(self, server: Server, statement: str) -> list[tuple[object, ...]]:
        """Run one statement on `server` in autocommit and return its rows."""
        with psycopg.connect(self.url(server).replace("+psycopg", ""), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            return list(cursor.fetchall()) if cursor.description else []

    def caught_up(self, seconds: float = 30.0) -> None:
        """Wait until the replica has replayed everything the primary had written when this was called."""
        target = self.sql(self.primary, "SELECT pg_current_wal_lsn()")[0][0]
        deadline = time.monotonic() + seconds
        while not self.sql(self.replica, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0][0]:
            if time.monotonic() > deadline:
                raise AssertionError(f"the replica did not replay up to {target} within {seconds} s")
            time.sleep(0.05)

    @contextmanager
    def replay_paused(self) -> Iterator[None]:
        """The replica stops replaying (it still answers, with what it had); replay resumes afterwards."""
        self.sql(self.replica, "SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            self.sql(self.replica, "SELECT pg_wal_replay_resume()")

    @contextmanager
    def primary_down(self) -> Iterator[None]:
        """The primary is stopped (fast shutdown, as for maintenance or a failure); started again afterwards."""
        self.primary.stop()
        try:
            yield
        finally:
            self.primary.start()
            self.caught_up()


def _clear(root: Path) -> None:
    """Stop the servers a killed run left in `root` and remove it."""
    for name in ("replica", "primary"):
        Server(root / name, 0).stop(mode="immediate")
    shutil.rmtree(root, ignore_errors=True)


@contextmanager
def replicated(*, primary_port: int, replica_port: int) -> Iterator[Replicated]:
    """A migrated database `stations` on a new primary, and a streaming replica of it; both gone afterwards."""
    root = Path(tempfile.gettempdir()) / f"stations-replication-{primary_port}"
    _clear(root)
    pair = Replicated(Server(root / "primary", primary_port), Server(root / "replica", replica_port),
                      secrets.token_urlsafe(18))
    try:
        for folder in (root, pair.primary.folder, pair.replica.folder):
            _owned_by_postgres(folder)
        password_file = pair.primary.folder / "password"
        password_file.write_text(pair.password + "\n")
        if os.geteuid() == 0:
            shutil.chown(password_file, user="postgres", group="postgres")
        as_postgres("initdb", "-D", str(pair.primary.pgdata), "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8",
                    "--auth-local=peer", "--auth-host=scram-sha-256", f"--pwfile={password_file}")
        pair.primary.start()
        with psycopg.connect(pair.url(pair.primary, "postgres").replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("CREATE DATABASE stations")
        migrate.upgrade(url=pair.url(pair.primary))
        as_postgres("pg_basebackup", "-D", str(pair.replica.pgdata), "-R", "-c", "fast", "-X", "stream",
                    "-h", str(pair.primary.folder), "-p", str(primary_port), "-U", "postgres")
        pair.replica.start()
        yield pair
    finally:
        _clear(root)
