"""The process an import's check or apply runs in: `python -m stations.services.importer.worker`, its task as JSON
on stdin (so the database URL is never on a command line).

Before it reads the file it lowers its own priority (the app's requests come first) and caps the memory it may
add and the CPU time it may use. It writes progress and the outcome to the job's row and prints one JSON line;
whatever it had not finished is rolled back with its transaction.
"""

from __future__ import annotations

import json
import os
import resource
import sys
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from stations.db.engine import make_engine, make_session_factory
from stations.db.errors import as_failure
from stations.errors import StationsError
from stations.services.importer import applying, checking, jobs
from stations.services.importer.limits import MB, Limits
from stations.services.importer.messages import ImportTooLarge
from stations.services.importer.progress import Cancelled, JobProgress

NICENESS = 10  # CFS weight 110 against the app's 1024: about a tenth of a busy core, all of an idle one


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def confine(limits: Limits) -> None:
    """Lower this process's priority; cap the address space it may add (`memory_mb`) and its CPU seconds."""
    os.nice(NICENESS)
    cap = _address_space() + limits.memory_mb * MB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = int(limits.seconds) + 10  # a backstop: the app kills the worker at `seconds` of wall time
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _settle(sessions: sessionmaker[Session], job_id: int, status: str, error: StationsError | None) -> None:
    with sessions() as session, session.begin():
        jobs.settle(session=session, job_id=job_id, status=status, error=error)


def _work(sessions: sessionmaker[Session], task: dict[str, Any], limits: Limits, progress: JobProgress) -> None:
    with sessions() as session, session.begin():
        if task["task"] == "check":
            job = jobs.load(session=session, job_id=task["job"])
            checking.fill(session=session, job=job, limits=limits, progress=progress)
        else:
            applying.apply(session=session, job_id=task["job"], mode=task["mode"], actor=task["actor"],
                           limits=limits, progress=progress)


def run(task: dict[str, Any]) -> dict[str, Any]:
    """Do the task and store its outcome in the job; the outcome as the JSON the parent reads."""
    limits = Limits(**task["limits"])
    engine = make_engine(task["database_url"], pool_size=2)
    sessions = make_session_factory(engine)
    error: StationsError | None = None
    try:
        _work(sessions, task, limits, JobProgress(engine=engine, job_id=task["job"]))
        return {"status": "done"}
    except Cancelled:
        _settle(sessions, task["job"], "cancelled", None)
        return {"status": "cancelled"}
    except MemoryError:  # the rows are freed once this block ends, before the failure is written
        error = ImportTooLarge(f"处理这个文件需要的内存超过 {limits.memory_mb} MB 上限，没有写入任何站点："
                               "请拆分成较小的文件后再导入",
                               en=f"this file needs more than the {limits.memory_mb} MB memory limit; nothing was "
                                  "written: split it into smaller files")
    except Exception as exc:  # a domain error says what to fix; a database outage is a 503; the rest is logged
        error = as_failure(exc)
    finally:
        if error is not None:
            _settle(sessions, task["job"], "failed", error)
        engine.dispose()
    assert error is not None
    return {"status": "failed", "detail": error.message, "http_status": error.status_code}


def main() -> None:
    """Read the task from stdin, confine this process, run it and print its outcome."""
    task = json.loads(sys.stdin.buffer.read())
    confine(Limits(**task["limits"]))
    print(json.dumps(run(task), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
