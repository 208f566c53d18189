"""Bulk writes timed by CPU seconds as well as wall seconds, so two versions can be compared on a shared machine:
this process (and its reaped builder processes) and its PostgreSQL backend (same host: /proc), for demo seeding of N
stations and the dry run and apply of bench.writes' N-row CSV on the scratch database at $URL (emptied first).

Usage: URL=postgresql+psycopg://... PYTHONPATH=<tree> python bench/writes_cpu.py N [seed|import]
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.orm import Session

TICKS = os.sysconf("SC_CLK_TCK")


def _python_cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _backend_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def timed(connection: Connection, work: Callable[[], Any]) -> dict[str, float]:
    """Wall, Python and PostgreSQL CPU seconds of `work` (run on `connection`'s backend)."""
    pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
    wall, python, backend = time.perf_counter(), _python_cpu(), _backend_cpu(pid)
    work()
    return {"wall_s": round(time.perf_counter() - wall, 2), "python_cpu_s": round(_python_cpu() - python, 2),
            "postgres_cpu_s": round(_backend_cpu(pid) - backend, 2)}


def main() -> None:
    from bench import writes
    from stations.geo.crs import Crs
    from stations.services import importer
    from stations.services.registry.seed import seed_demo

    n, what = int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "import"
    engine = create_engine(os.environ["URL"])
    with engine.begin() as connection:
        connection.execute(text("TRUNCATE stations, sites, sign_serials, station_changes RESTART IDENTITY CASCADE"))
    out: dict[str, Any] = {"tree": writes.__file__, "rows": n}
    if what == "seed":
        with engine.begin() as connection:
            out["seed"] = timed(connection, lambda: seed_demo(connection=connection, count=n, seed=20261125))
    else:
        content = writes.make_csv(n)
        limits = importer.Limits(max_rows=n, max_bytes=len(content), seconds=3600)
        with Session(engine) as session, session.begin():
            job: list[Any] = []
            out["dry_run"] = timed(session.connection(), lambda: job.append(importer.dry_run(
                session=session, content=content, filename="bench.csv", options=importer.Options(crs=Crs.WGS84),
                actor="bench", scope="", limits=limits)))
            out["apply"] = timed(session.connection(), lambda: job.append(importer.apply(
                session=session, job_id=job[0].id, mode="valid", actor="bench", limits=limits)))
            out["created"] = job[1].report["created"]
    engine.dispose()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
