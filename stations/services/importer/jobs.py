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
from stations.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable, StationsError, TooLarge
from stations.geo.crs import Crs
from stations.services.importer.progress import Cancelled

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32, as report receipts
STATUS_LABELS = {"checking": "正在检查", "checked": "已检查，尚未导入", "applying": "正在导入", "applied": "已导入",
                 "rejected": "未导入（有错误行）", "failed": "失败", "cancelled": "已取消"}
GRACE = timedelta(seconds=60)  # past the worker's time limit, a job still running has lost its worker
INTERRUPTED = "检查或导入意外中断（服务可能重启过），没有写入任何站点：请重新上传文件"


def new_public_id() -> str:
    """An import id like I7K3M9Q2XDV4T8PB: 75 random bits, so ids cannot be guessed or counted."""
    return "I" + "".join(secrets.choice(_ALPHABET) for _ in range(15))


def create(
    *, session: Session, content: bytes, filename: str, crs: Crs, actor: str, region: str, seconds: float
) -> ImportJob:
    """A new job in status `checking` for the creator's region; its worker must end within `seconds`."""
    job = ImportJob(
        public_id=new_public_id(), region=region, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest(),
        content=content, crs=crs.value, actor=actor[:120], status="checking", report={}, created_at=datetime.now(UTC),
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
        raise NotFound(f"没有编号为 {public_id[:20]} 的导入")
    if _overdue(job):
        job.status, job.error, job.error_status = "failed", INTERRUPTED, 422
    return job


def load(*, session: Session, job_id: int) -> ImportJob:
    """A job by its internal id (for the process that runs it)."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"没有导入 #{job_id}")
    return job


def claim_apply(*, session: Session, public_id: str, scope: str, mode: str, seconds: float) -> ImportJob:
    """Mark a checked job as being applied in `mode` (so no second apply starts); Conflict when it is not checked."""
    job = visible(session=session, public_id=public_id, scope=scope)
    session.refresh(job, with_for_update=True)
    if job.status != "checked":
        raise Conflict(f"导入 {job.public_id} {STATUS_LABELS.get(job.status, job.status)}，不能再导入；"
                       "要再次导入请重新上传文件")
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
        raise Conflict(f"导入 {job.public_id} 正在由命令行写入，只能在命令行中取消 (Ctrl-C)") from exc
    if job.status not in RUNNING_STATUSES:
        raise Conflict(f"导入 {job.public_id} {STATUS_LABELS.get(job.status, job.status)}，已经结束，不能取消")
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
    queries.settle_running(session=session, job_id=job_id, values=values)


def raise_if_failed(job: ImportJob) -> ImportJob:
    """The job, or the error it failed with (413 for a limit, 422 otherwise) for the one who is waiting on it."""
    if job.status != "failed":
        return job
    message, status = job.error or INTERRUPTED, job.error_status or 422
    if status == 413:
        raise TooLarge(message)
    if status == 503:
        raise ServiceUnavailable(message)
    if status >= 500:
        raise StationsError(message)
    raise InvalidInput(message)


def recent(*, session: Session, scope: str, limit: int = 20) -> list[ImportJob]:
    """The region's latest imports, running or applied (dry runs that were never applied are not imports)."""
    return queries.recent(session=session, scope=scope, statuses=("checking", "applying", "applied", "rejected"),
                          limit=limit)


def report_json(*, session: Session, job_id: int) -> bytes:
    """A job's report as the JSON text PostgreSQL stores, never parsed here: for 200,000 rows it is ~4 MB, and
    parsing and re-serialising it would hold the GIL long enough to stall every other request (docs/uploads.md)."""
    return (queries.report_text(session=session, job_id=job_id) or "{}").encode()


def report_summary(*, session: Session, job_id: int) -> dict[str, Any]:
    """A job's report without its per-row outcomes (what the staff page shows: counts and the issues)."""
    return queries.report_without_rows(session=session, job_id=job_id)
