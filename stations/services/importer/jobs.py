"""Import jobs as staff see them: random public ids, visible only inside the creator's region, claimed, cancelled,
failed and finished in short transactions of their own so every app process reads the same state."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from stations.db import import_queries as queries
from stations.db.models import ImportJob
from stations.db.models.staff import RUNNING_STATUSES
from stations.errors import ServiceUnavailable, StationsError
from stations.services.importer.messages import (
    ImportConflict,
    ImportNotFound,
    ImportRefused,
    ImportTooLarge,
    english,
)
from stations.services.importer.options import Options
from stations.services.importer.progress import Cancelled

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32, as report receipts
STATUS_LABELS = {"checking": "正在检查", "checked": "已检查，尚未导入", "applying": "正在导入", "applied": "已导入",
                 "rejected": "未导入（有错误行）", "failed": "失败", "cancelled": "已取消"}
STATUS_LABELS_EN = {"checking": "being checked", "checked": "checked, not imported yet", "applying": "being imported",
                    "applied": "imported", "rejected": "not imported (rows with errors)", "failed": "failed",
                    "cancelled": "cancelled"}
GRACE = timedelta(seconds=60)  # past the worker's time limit, a job still running has lost its worker
INTERRUPTED = "检查或导入意外中断（服务可能重启过），没有写入任何站点：请重新上传文件"
INTERRUPTED_EN = ("the check or import was interrupted (the service may have restarted); nothing was written: "
                  "upload again")


def new_public_id() -> str:
    """An import id like I7K3M9Q2XDV4T8PB: 75 random bits, so ids cannot be guessed or counted."""
    return "I" + "".join(secrets.choice(_ALPHABET) for _ in range(15))


def create(
    *, session: Session, content: bytes, filename: str, options: Options, actor: str, region: str, seconds: float,
    mode: str | None = None,
) -> ImportJob:
    """A new job in status `checking` for the creator's region (`mode`: to be applied once checked); its worker
    must end within `seconds`."""
    job = ImportJob(
        public_id=new_public_id(), region=region, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest(),
        content=content, crs=options.crs.value if options.crs else None, options=options.as_json(), mode=mode,
        actor=actor[:120], status="checking", report={}, created_at=datetime.now(UTC),
        deadline_at=datetime.now(UTC) + timedelta(seconds=seconds) + GRACE,
    )
    session.add(job)
    session.flush()
    return job


def _overdue(job: ImportJob) -> bool:
    return job.status in RUNNING_STATUSES and job.deadline_at is not None and job.deadline_at < datetime.now(UTC)


def visible(*, session: Session, public_id: str, scope: str) -> ImportJob:
    """The job if the caller's scope contains its creator's region; NotFound otherwise, the same reply as for an
    id that does not exist (so ids cannot be probed). A running job whose worker is overdue is marked failed."""
    job = queries.job_by_public_id(session=session, public_id=public_id)
    if job is None or not job.region.startswith(scope):
        raise ImportNotFound(f"没有编号为 {public_id[:20]} 的导入", en=f"no import {public_id[:20]}")
    if _overdue(job):
        job.status, job.error, job.error_status = "failed", INTERRUPTED, 422
        job.options = {**job.options, "error_en": INTERRUPTED_EN}
    return job


def load(*, session: Session, job_id: int) -> ImportJob:
    """A job by its internal id (for the process that runs it)."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise ImportNotFound(f"没有导入 #{job_id}", en=f"no import #{job_id}")
    return job


def _ended(job: ImportJob, zh: str, en: str) -> ImportConflict:
    return ImportConflict(f"导入 {job.public_id} {STATUS_LABELS.get(job.status, job.status)}，{zh}",
                          en=f"import {job.public_id} is {STATUS_LABELS_EN.get(job.status, job.status)}: {en}")


def claim_refusal(job: ImportJob) -> ImportConflict:
    """The refusal to apply a job that is not (or no longer) checked."""
    return _ended(job, "不能再导入；要再次导入请重新上传文件", "it cannot be applied again; upload the file again")


def needs_crs(job: ImportJob) -> ImportConflict:
    """The refusal to apply a file whose points look like GCJ-02 while it states no coordinate system."""
    return ImportConflict(
        f"导入 {job.public_id} 的文件没有说明坐标系，而坐标像是高德/腾讯（GCJ-02）坐标：请选择坐标系后重新检查，再导入",
        en=f"import {job.public_id} states no coordinate system and its points look like GCJ-02: choose the "
           "system, check again, then apply")


def claim_apply(*, session: Session, public_id: str, scope: str, mode: str, seconds: float) -> ImportJob:
    """Mark a checked job as being applied in `mode` (so no second apply starts); Conflict when it is not checked."""
    job = visible(session=session, public_id=public_id, scope=scope)
    session.refresh(job, with_for_update=True)
    if job.status != "checked":
        raise claim_refusal(job)
    if "crs" in job.options.get("needs", []):
        raise needs_crs(job)
    job.status, job.mode, job.cancel_requested, job.error, job.error_status = "applying", mode, False, None, None
    job.progress_stage, job.progress_done, job.progress_total = None, 0, 0
    job.deadline_at = datetime.now(UTC) + timedelta(seconds=seconds) + GRACE
    return job


def request_cancel(*, session: Session, public_id: str, scope: str) -> ImportJob:
    """Ask the worker of a running job to stop (it rolls back what it wrote); Conflict when the job has ended."""
    job = visible(session=session, public_id=public_id, scope=scope)
    try:
        session.refresh(job, with_for_update={"nowait": True})
    except OperationalError as exc:
        if not isinstance(exc.orig, psycopg.errors.LockNotAvailable):
            raise
        raise ImportConflict(f"导入 {job.public_id} 正在由命令行写入，只能在命令行中取消 (Ctrl-C)",
                             en=f"import {job.public_id} is being written from the command line: cancel it there "
                                "(Ctrl-C)") from exc
    if job.status not in RUNNING_STATUSES:
        raise _ended(job, "已经结束，不能取消", "it has ended and cannot be cancelled")
    job.cancel_requested = True
    return job


def finish(*, session: Session, job: ImportJob, status: str) -> None:
    """End a running job in `status` in the work's own transaction, unless its cancel was asked for (Cancelled)."""
    session.flush()
    session.refresh(job, attribute_names=["cancel_requested"], with_for_update=True)
    if job.cancel_requested:
        raise Cancelled
    job.status = status


def settle(*, session: Session, job_id: int, status: str, error: StationsError | None = None) -> None:
    """End a running job whose work stopped (`failed` with the error, or `cancelled`); an ended job is left as is.

    A job that failed while being checked drops its file: it was refused and is never applied.
    """
    values: dict[str, object] = {"status": status}
    if error is not None:
        values |= {"error": error.message[:500], "error_status": error.status_code}
        if (en := english(error)) is not None:
            values["error_en"] = en[:500]
    queries.settle_running(session=session, job_id=job_id, values=values)


def raise_if_failed(job: ImportJob) -> ImportJob:
    """The job, or the error it failed with (413 for a limit, 422 otherwise) for the one who is waiting on it."""
    if job.status != "failed":
        return job
    message, status = job.error or INTERRUPTED, job.error_status or 422
    en = job.options.get("error_en") or (INTERRUPTED_EN if not job.error else message)
    if status == 413:
        raise ImportTooLarge(message, en=en)
    if status == 503:
        raise ServiceUnavailable(message)
    if status >= 500:
        raise StationsError(message)
    raise ImportRefused(message, en=en)


def recent(*, session: Session, scope: str, limit: int = 20) -> list[ImportJob]:
    """The region's latest imports: applied, refused, or asked to be applied (a dry run is not an import)."""
    return queries.recent(session=session, scope=scope, limit=limit)


def content_of(*, session: Session, public_id: str, scope: str) -> tuple[ImportJob, bytes]:
    """A job the caller may see and the file it was uploaded with (to check it again with other options)."""
    job = visible(session=session, public_id=public_id, scope=scope)
    if not job.content:
        raise ImportConflict(f"导入 {job.public_id} 的文件没有保留（检查失败的文件不保留）：请重新上传",
                             en=f"the file of import {job.public_id} was not kept (a refused file is not): "
                                "upload it again")
    return job, job.content


def report_json(*, session: Session, job_id: int, lang: str = "zh") -> bytes:
    """A job's report as the JSON text PostgreSQL stores, in `lang`, never parsed here: for 200,000 rows it is
    ~4 MB, and parsing and re-serialising it would hold the GIL long enough to stall every other request
    (docs/uploads.md)."""
    return (queries.report_text(session=session, job_id=job_id, lang=lang) or "{}").encode()


def report_summary(*, session: Session, job_id: int, lang: str = "zh") -> dict[str, Any]:
    """A job's report in `lang` without its per-row outcomes (what the staff page shows: counts and the notes)."""
    return queries.report_without_rows(session=session, job_id=job_id, lang=lang)
