"""The nearest lookup's latency while the worst uploads are checked: `python -m bench.uploads` (docs/uploads.md).

Serves the app as `make bench` does (`stations serve --workers 2`, on the seeded bench database), sends a steady
open-loop stream of nearest lookups from random points, and reports p50/p99/max for a quiet window, then for the
time each upload's request is in flight (sent by curl, a process of its own), then quiet again. A lookup's
latency counts from when it was due, so a stalled server shows as the wait it caused, not as fewer requests.
Results go to bench/results/uploads-<date>-<n>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, delete, select
from sqlalchemy.orm import Session

from bench import db, servers, upload_files, workload
from bench.run import RESULTS, code, machine
from stations.db.models import ImportJob, Role, StaffUser
from stations.schemas.staff import StaffUserCreate
from stations.services.staff import users

USER, PASSWORD = "bench-uploader", "bench-uploader-password"
BASE = f"http://127.0.0.1:{servers.OURS_PORT}"


@dataclass
class Lookups:
    """An open-loop stream of nearest lookups: (due time, latency in s, HTTP status) per lookup."""

    rate: float
    points: list[tuple[float, float]]
    done: list[tuple[float, float, int]] = field(default_factory=list)
    stop: bool = False

    async def run(self, connections: int) -> None:
        """Send lookups at `rate` per second over keep-alive connections until `stop`."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        workers = [asyncio.create_task(self._connection(queue)) for _ in range(connections)]
        start, sent = time.monotonic(), 0
        while not self.stop:
            due = start + sent / self.rate
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            lon, lat = self.points[sent % len(self.points)]
            path = servers.OURS_PATH % (lon, lat)
            queue.put_nowait((due, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()))
            sent += 1
        for worker in workers:
            worker.cancel()

    async def _connection(self, queue: asyncio.Queue[tuple[float, bytes]]) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", servers.OURS_PORT)
        while True:
            due, request = await queue.get()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            self.done.append((due, time.monotonic() - due, int(head.split(b" ")[1])))

    def window(self, start: float, end: float) -> dict[str, Any]:
        """p50, p99 and max in ms (and errors) of the lookups due between `start` and `end`."""
        times = sorted(t for due, t, _ in self.done if start <= due < end)
        errors = sum(1 for due, _, status in self.done if start <= due < end and status != 200)
        if not times:
            return {"lookups": 0}

        def ms(q: float) -> float:
            return round(times[min(len(times) - 1, int(q * len(times)))] * 1000, 1)

        return {"lookups": len(times), "p50_ms": ms(0.5), "p99_ms": ms(0.99), "max_ms": ms(1.0), "errors": errors}


def ensure_user(url: str) -> None:
    """The admin account the uploads are sent as."""
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        if session.scalar(select(StaffUser).where(StaffUser.username == USER)) is None:
            users.create(session=session, data=StaffUserCreate(
                username=USER, password=PASSWORD, role=Role.ADMIN, region_prefix="", display_name=USER))
    engine.dispose()


def forget_jobs(url: str) -> None:
    """Delete the bench's import jobs (each keeps its file: 25 MB for the largest)."""
    engine = create_engine(url)
    with Session(engine) as session, session.begin():
        session.execute(delete(ImportJob).where(ImportJob.actor == USER))
    engine.dispose()


def token() -> str:
    """A bearer token for the bench account."""
    out = subprocess.run(["curl", "-s", "-d", f"username={USER}&password={PASSWORD}", f"{BASE}/api/v1/auth/token"],
                         capture_output=True, text=True, check=True)
    return str(json.loads(out.stdout)["access_token"])


async def upload(path: Path, bearer: str) -> tuple[float, float, int, str]:
    """POST one file with curl and wait for the checked job: (start, end, status, the reply's first 160 chars)."""
    start = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        "curl", "-s", "-w", "\n%{http_code}", "-H", f"Authorization: Bearer {bearer}", "-F", f"file=@{path}",
        f"{BASE}/api/v1/imports", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    body, _, status = out.decode().rpartition("\n")
    return start, time.monotonic(), int(status), body[:160]


async def session(files: dict[str, Path], args: argparse.Namespace) -> list[dict[str, Any]]:
    """Quiet, then each upload in turn with quiet between, under one stream of lookups."""
    lookups = Lookups(rate=args.rate, points=workload.points(20_000, seed=args.seed))
    stream = asyncio.create_task(lookups.run(args.connections))
    bearer, rows = token(), []
    await asyncio.sleep(args.warmup)
    for name, path in [item for _ in range(args.rounds) for item in files.items()]:
        quiet = time.monotonic()
        await asyncio.sleep(args.quiet)
        rows.append({"phase": "quiet", "before": name, **lookups.window(quiet, time.monotonic())})
        start, end, status, body = await upload(path, bearer)
        rows.append({"phase": "upload", "file": name, "bytes": path.stat().st_size, "status": status,
                     "seconds": round(end - start, 1), "reply": body, **lookups.window(start, end)})
        print(json.dumps(rows[-2], ensure_ascii=False), json.dumps(rows[-1], ensure_ascii=False), sep="\n",
              file=sys.stderr)
    quiet = time.monotonic()
    await asyncio.sleep(args.quiet)
    rows.append({"phase": "quiet", "before": "end", **lookups.window(quiet, time.monotonic())})
    lookups.stop = True
    await stream
    return rows


def main() -> None:
    """Build the files, serve the app, measure, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="stations in the bench database")
    parser.add_argument("--rate", type=float, default=200.0, help="nearest lookups per second (open loop)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--quiet", type=float, default=20.0, help="seconds without an upload before each")
    parser.add_argument("--warmup", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=1, help="times each upload is sent, in turn")
    parser.add_argument("--files", nargs="+", default=list(upload_files.FILES), choices=list(upload_files.FILES))
    args = parser.parse_args()
    files = upload_files.build(args.files, Path(__file__).resolve().parents[1] / "var" / "bench-uploads")
    url = db.ensure_seeded(args.count)
    ensure_user(url)
    with servers.ours(url, servers.SERVED):
        rows = asyncio.run(session(files, args))
    forget_jobs(url)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    RESULTS.mkdir(exist_ok=True)
    day, n = dt.date.today().isoformat(), 1
    while (RESULTS / f"uploads-{day}-{n}.json").exists():
        n += 1
    result = {"code": code(), "machine": machine(), "args": vars(args), "rows": rows}
    (RESULTS / f"uploads-{day}-{n}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
