"""Start and stop the servers under test: our app (`stations serve`) and tipg, on the bench database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TIPG_VENV = BENCH / ".venv-tipg"
# Several engineers bench on one machine: BENCH_PORT moves both servers (ours on it, tipg on the next port).
OURS_PORT = int(os.environ.get("BENCH_PORT", "8765"))
TIPG_PORT = OURS_PORT + 1
OURS_PATH = "/api/v1/stations/nearest?lon=%.6f&lat=%.6f"
SERVED = ["--workers", "2", "--no-access-log"]
"""How ours is served: `make bench` passes it to `stations serve` (`--ours-args` changes it), `bench.steps` too from
its `--workers 2` step on, and `factory` to uvicorn, which spells both options alike."""
TIPG_PATH = "/collections/public.nearest_stations/items?lon=%.6f&lat=%.6f&k=10&limit=10"


def _wait(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f}s")


@contextmanager
def _running(args: list[str], env: dict[str, str], probe: str, cwd: Path) -> Iterator[int]:
    """Run a server in its own process group; yield its pid; stop the whole group afterwards."""
    port = int(args[args.index("--port") + 1])
    with socket.socket() as probe_socket:  # a server already there would answer our probe and be measured instead
        if probe_socket.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is taken (another bench?): set BENCH_PORT to a free port")
    log = open(BENCH / "results" / f"server-{Path(args[0]).name}.log.tmp", "wb")  # noqa: SIM115
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(probe, proc)
        yield proc.pid
    finally:
        _stop(proc)
        log.close()


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, SIGKILL it after 15 s."""
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def ours(url: str, extra: list[str], code: Path | None = None) -> Iterator[int]:
    """`stations serve` on the bench database with `extra` options (the package from `code` when given)."""
    env = _ours_env(url) | ({"PYTHONPATH": str(code)} if code is not None else {})
    args = [str(ROOT / ".venv" / "bin" / "stations"), "serve", "--port", str(OURS_PORT), *extra]
    with _running(args, env, _OURS_PROBE, ROOT) as pid:
        yield pid


@contextmanager
def factory(url: str, target: str, env: dict[str, str]) -> Iterator[int]:
    """The app `target` (a uvicorn factory, `module:function`) served as `stations serve` serves ours (`SERVED`), on
    the bench database, with `env` added to the environment."""
    args = [str(ROOT / ".venv" / "bin" / "uvicorn"), "--factory", target, "--port", str(OURS_PORT), *SERVED,
            "--log-level", "warning"]
    with _running(args, _ours_env(url) | env, _OURS_PROBE, ROOT) as pid:
        yield pid


_OURS_PROBE = f"http://127.0.0.1:{OURS_PORT}" + OURS_PATH % (116.40114, 39.90278)


def _ours_env(url: str) -> dict[str, str]:
    return {**os.environ, "STATIONS_DATABASE_URL": url, "STATIONS_DEMO_COUNT": "0", "STATIONS_LOG_LEVEL": "WARNING",
            "STATIONS_WEB_DIR": str(ROOT / "web")}


def install_tipg_function(libpq_url: str) -> None:
    """Create the nearest function collection tipg serves."""
    with psycopg.connect(libpq_url, autocommit=True) as conn:
        conn.execute((BENCH / "tipg_function.sql").read_text())


@contextmanager
def tipg(libpq_url: str, workers: int) -> Iterator[int]:
    """tipg (its own venv) on the same database, exposing only the nearest function, without access logs."""
    env = {**os.environ, "DATABASE_URL": libpq_url, "TIPG_DB_SCHEMAS": '["public"]',
           "TIPG_DB_TABLES": '["public.stations"]', "TIPG_DB_FUNCTIONS": '["public.nearest_stations"]',
           "TIPG_DEBUG": "false"}
    args = [str(TIPG_VENV / "bin" / "uvicorn"), "tipg.main:app", "--port", str(TIPG_PORT), "--no-access-log",
            "--log-level", "warning", "--workers", str(workers)]
    probe = f"http://127.0.0.1:{TIPG_PORT}" + TIPG_PATH % (116.40114, 39.90278)
    with _running(args, env, probe, BENCH) as pid:
        yield pid
