"""Runs an import's check or apply in a worker process with a wall-time and a memory limit; the app awaits it.

The event loop only awaits threads: one starts the worker and waits on its pipes, others do the database work
around it (creating, claiming and reading the job). A worker past its time limit is killed; one that dies is
reported as past its memory limit; either way the job is marked failed and whoever waits gets a 413 saying what
to do. Each app process runs at most `workers` of them at once; a request waits up to SLOT_WAIT_SECONDS for one
to end (a clerk who cancels and uploads again should not be refused while the cancelled worker exits), then gets a
429 (counted per process, not across processes).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import subprocess
import sys
from collections.abc import Coroutine
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from stations.db.models import ImportJob
from stations.db.models.staff import RUNNING_STATUSES
from stations.errors import StationsError, TooManyRequests
from stations.services.importer import jobs
from stations.services.importer.applying import Mode
from stations.services.importer.limits import Limits
from stations.services.importer.messages import ImportTooLarge, with_english
from stations.services.importer.options import Options

log = logging.getLogger(__name__)
SPLIT = ("请拆分成较小的文件后再导入", "split it into smaller files")
WORKER = (sys.executable, "-m", "stations.services.importer.worker")
SLOT_WAIT_SECONDS = 10.0


class ImportRunner:
    """Starts and watches import workers for one app process."""

    def __init__(self, *, database_url: str, sessions: sessionmaker[Session], limits: Limits, workers: int) -> None:
        self.database_url, self.sessions, self.limits, self.workers = database_url, sessions, limits, workers
        self._slots = asyncio.Semaphore(workers)
        self._tasks: set[asyncio.Task[ImportJob]] = set()

    async def _take(self) -> None:
        try:
            await asyncio.wait_for(self._slots.acquire(), SLOT_WAIT_SECONDS)
        except TimeoutError:
            raise with_english(TooManyRequests(f"这里已有 {self.workers} 个文件正在检查或导入：请过一分钟再试",
                                               retry_after=60),
                               en=f"{self.workers} files are being checked or imported here: try again in a minute"
                               ) from None

    async def upload(
        self, *, content: bytes, filename: str, options: Options, actor: str, scope: str, then: Mode | None,
        wait: bool,
    ) -> ImportJob:
        """Check an uploaded file (then apply it in mode `then`): the checked job, or the 4xx saying what is wrong.

        Without `wait` the job comes back at once in status `checking`, and the work goes on in the background.
        """
        if len(content) > self.limits.max_bytes:
            raise self.limits.too_big_file()
        await self._take()
        try:
            job = await asyncio.to_thread(self._create, content=content, filename=filename, options=options,
                                          actor=actor, scope=scope, mode=then)
        except BaseException:
            self._slots.release()
            raise
        return await self._go(self._check(job.id, then=then, actor=actor), job, wait)

    async def recheck(self, *, public_id: str, scope: str, options: Options, actor: str, wait: bool) -> ImportJob:
        """Check the file of a job the caller may see again, with other options (a new job)."""
        job, content = await asyncio.to_thread(self._content, public_id=public_id, scope=scope)
        return await self.upload(content=content, filename=job.filename, options=options, actor=actor, scope=scope,
                                 then=None, wait=wait)

    async def apply(self, *, public_id: str, scope: str, mode: Mode, actor: str, wait: bool) -> ImportJob:
        """Apply a checked job the caller may see, in a worker: the outcome, or at once (`applying`) without `wait`."""
        await self._take()
        try:
            job = await asyncio.to_thread(self._claim, public_id=public_id, scope=scope, mode=mode)
        except BaseException:
            self._slots.release()
            raise
        return await self._go(self._apply(job.id, mode=mode, actor=actor), job, wait)

    async def _go(self, work: Coroutine[Any, Any, ImportJob], job: ImportJob, wait: bool) -> ImportJob:
        if wait:
            return await work
        task = asyncio.create_task(work)
        self._tasks.add(task)  # kept until done: the loop holds tasks only weakly
        task.add_done_callback(self._forget)
        return job

    def _forget(self, task: asyncio.Task[ImportJob]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and isinstance(task.exception(), StationsError):
            return  # the failure is in the job's row, where the one who asked reads it
        if not task.cancelled() and task.exception() is not None:
            log.error("import_task_failed", exc_info=task.exception())

    async def _check(self, job_id: int, *, then: Mode | None, actor: str) -> ImportJob:
        try:
            await self._run(job_id, {"task": "check"}, ("检查", "Checking"))
            job = await asyncio.to_thread(self._load, job_id)
            if then and job.status == "checked":
                await asyncio.to_thread(self._claim, public_id=job.public_id, scope="", mode=then)
                await self._run(job_id, {"task": "apply", "mode": then, "actor": actor}, ("导入", "Importing"))
                job = await asyncio.to_thread(self._load, job_id)
            return jobs.raise_if_failed(job)
        finally:
            self._slots.release()

    async def _apply(self, job_id: int, *, mode: Mode, actor: str) -> ImportJob:
        try:
            await self._run(job_id, {"task": "apply", "mode": mode, "actor": actor}, ("导入", "Importing"))
            return jobs.raise_if_failed(await asyncio.to_thread(self._load, job_id))
        finally:
            self._slots.release()

    async def _run(self, job_id: int, task: dict[str, Any], verb: tuple[str, str]) -> None:
        """Run one task in a new worker process; a thread waits for it, so the event loop never does."""
        payload = {**task, "job": job_id, "database_url": self.database_url, "limits": self.limits.as_dict()}
        started: list[subprocess.Popen[bytes]] = []
        try:
            returncode, out, err = await asyncio.to_thread(self._wait, json.dumps(payload).encode(), started)
        except BaseException:  # cancelled (the app is stopping): the worker goes too, its transaction rolls back
            for proc in started:
                with contextlib.suppress(ProcessLookupError):
                    proc.kill()
            raise
        if err:
            log.warning("import_worker_stderr", extra={"job": job_id, "stderr": err[-4000:].decode(errors="replace")})
        if returncode is None:
            await asyncio.to_thread(self._settle, job_id, ImportTooLarge(
                f"{verb[0]}这个文件超过 {self.limits.seconds:.0f} 秒仍未完成，已停止，没有写入任何站点：{SPLIT[0]}",
                en=f"{verb[1]} this file took over {self.limits.seconds:.0f} s and was stopped; nothing was "
                   f"written: {SPLIT[1]}"))
        elif returncode != 0:
            log.warning("import_worker_died", extra={"job": job_id, "returncode": returncode, "stdout": out[:500]})
            await asyncio.to_thread(self._settle, job_id, ImportTooLarge(
                f"{verb[0]}这个文件的进程异常退出（超出 {self.limits.memory_mb} MB 内存上限，或被系统终止），"
                f"没有写入任何站点：{SPLIT[0]}",
                en=f"the process {verb[1].lower()} this file ended abnormally (past its {self.limits.memory_mb} MB "
                   f"memory limit, or killed); nothing was written: {SPLIT[1]}"))

    def _wait(self, payload: bytes, started: list[subprocess.Popen[bytes]]) -> tuple[int | None, bytes, bytes]:
        """Start a worker and wait for it, killing it at the time limit: (exit status or None if killed, out, err).

        subprocess starts it with vfork; uvloop's own spawn forks, which copies the page tables of the whole app
        process with its event loop stopped (docs/uploads.md).
        """
        proc = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        started.append(proc)
        try:
            out, err = proc.communicate(payload, timeout=self.limits.seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            return None, out, err
        return proc.returncode, out, err

    async def report_json(self, job: ImportJob, lang: str = "zh") -> bytes:
        """The job's stored report as JSON text in `lang`, read in a thread ({} while the job runs)."""
        if job.status in RUNNING_STATUSES:
            return b"{}"
        return await asyncio.to_thread(self._report, job.id, lang)

    def _report(self, job_id: int, lang: str) -> bytes:
        with self.sessions() as session:
            return jobs.report_json(session=session, job_id=job_id, lang=lang)

    async def report_summary(self, job: ImportJob, lang: str = "zh") -> dict[str, Any]:
        """The job's report in `lang` without its per-row outcomes (the staff page's), read in a thread."""
        return await asyncio.to_thread(self._summary, job.id, lang)

    def _summary(self, job_id: int, lang: str) -> dict[str, Any]:
        with self.sessions() as session:
            return jobs.report_summary(session=session, job_id=job_id, lang=lang)

    def _create(self, *, content: bytes, filename: str, options: Options, actor: str, scope: str,
                mode: Mode | None) -> ImportJob:
        with self.sessions() as session, session.begin():
            return jobs.create(session=session, content=content, filename=filename, options=options, actor=actor,
                               region=scope, seconds=self.limits.seconds, mode=mode)

    def _content(self, *, public_id: str, scope: str) -> tuple[ImportJob, bytes]:
        with self.sessions() as session:
            return jobs.content_of(session=session, public_id=public_id, scope=scope)

    def _claim(self, *, public_id: str, scope: str, mode: Mode) -> ImportJob:
        with self.sessions() as session, session.begin():
            return jobs.claim_apply(session=session, public_id=public_id, scope=scope, mode=mode,
                                    seconds=self.limits.seconds)

    def _load(self, job_id: int) -> ImportJob:
        with self.sessions() as session:
            return jobs.load(session=session, job_id=job_id)

    def _settle(self, job_id: int, error: StationsError) -> None:
        with self.sessions() as session, session.begin():
            jobs.settle(session=session, job_id=job_id, status="failed", error=error)
