"""Bulk import of stations from CSV/XLSX: a dry run with a per-row report, then an idempotent apply.

Apply re-checks the stored file against the registry as it is then; duplicates (in the file or already
registered) are skipped, so importing the same file twice changes nothing. Mode `all` writes nothing
when any row has an error; mode `valid` writes the valid rows. Everything runs in the caller's
transaction, so a failure leaves no partial data.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from stations.db.models import ImportJob
from stations.errors import Conflict, InvalidInput, NotFound
from stations.geo.crs import Crs
from stations.services.importer import duplicates, reader, writer
from stations.services.importer.columns import template_csv, template_xlsx
from stations.services.importer.rows import CheckedRow, check_row

Mode = Literal["all", "valid"]
MAX_ISSUES = 5000
__all__ = ["Mode", "apply", "check", "dry_run", "progress_of", "template_csv", "template_xlsx"]

_progress: dict[int, tuple[int, int]] = {}
_lock = threading.Lock()


def progress_of(job_id: int) -> tuple[int, int] | None:
    """(rows written, rows to write) of an apply running in this process, or None."""
    with _lock:
        return _progress.get(job_id)


def check(
    *, session: Session, content: bytes, filename: str, crs: Crs, scope: str, max_rows: int = 200_000
) -> tuple[reader.Sheet, list[CheckedRow]]:
    """Read and check every row, then flag duplicates within the file and against the registry."""
    sheet = reader.read(content, filename)
    if len(sheet.rows) > max_rows:
        raise InvalidInput(f"the file has {len(sheet.rows)} rows; split it into files of at most {max_rows} rows")
    checked = [
        check_row(r.number, r.values, formulas=r.formulas, default_crs=crs, scope=scope)
        for r in sheet.rows if any(v.strip() for v in r.values.values())
    ]
    duplicates.within_file(checked)
    duplicates.against_registry(session=session, rows=checked)
    return sheet, checked


def _report(sheet: reader.Sheet, rows: list[CheckedRow], *, filename: str) -> dict[str, Any]:
    issues = [vars(i) for r in rows for i in r.issues]
    return {
        "filename": filename, "encoding": sheet.encoding, "ignored_headers": sheet.ignored_headers,
        "total_rows": len(sheet.rows), "empty_rows": len(sheet.rows) - len(rows),
        "valid": sum(1 for r in rows if r.data is not None and r.duplicate_of is None),
        "rejected": sum(1 for r in rows if r.data is None),
        "duplicates": sum(1 for r in rows if r.data is not None and r.duplicate_of is not None),
        "created": 0, "issue_count": len(issues), "issues": issues[:MAX_ISSUES],
        "rows": {str(r.number): _row_status(r) for r in rows},
    }


def _row_status(row: CheckedRow) -> str:
    return "rejected" if row.data is None else "duplicate" if row.duplicate_of else "ok"


def dry_run(
    *, session: Session, content: bytes, filename: str, crs: Crs, actor: str, scope: str, max_rows: int = 200_000
) -> ImportJob:
    """Check a file without changing the registry; the job keeps the file and its report for apply."""
    sheet, rows = check(session=session, content=content, filename=filename, crs=crs, scope=scope, max_rows=max_rows)
    sha = hashlib.sha256(content).hexdigest()
    job = ImportJob(
        filename=filename[:255], sha256=sha, content=content, crs=crs.value, actor=actor, status="checked",
        total_rows=len(sheet.rows), report=_report(sheet, rows, filename=filename),
    )
    earlier = session.scalars(
        select(ImportJob).where(ImportJob.sha256 == sha, ImportJob.status == "applied").limit(1)
    ).one_or_none()
    if earlier is not None:
        job.report["already_applied"] = {"job": earlier.id, "at": str(earlier.applied_at)}
    session.add(job)
    session.flush()
    return job


def get(*, session: Session, job_id: int) -> ImportJob:
    """One import job, or NotFound."""
    job = session.get(ImportJob, job_id)
    if job is None:
        raise NotFound(f"no import {job_id}")
    return job


def apply(
    *, session: Session, job_id: int, mode: Mode, actor: str, scope: str,
    progress: Callable[[int, str], Callable[[int], None]] | None = None,
) -> ImportJob:
    """Re-check the job's file and insert its valid, new rows (mode `all`: only if no row has an error)."""
    job = session.scalars(select(ImportJob).where(ImportJob.id == job_id).with_for_update()).one_or_none()
    if job is None:
        raise NotFound(f"no import {job_id}")
    if job.status != "checked":
        raise Conflict(f"import {job_id} is already {job.status}; upload the file again to import it again")
    sheet, rows = check(session=session, content=job.content, filename=job.filename, crs=Crs(job.crs or "wgs84"),
                        scope=scope)
    report = _report(sheet, rows, filename=job.filename) | {"mode": mode}
    job.mode, job.applied_at = mode, datetime.now(UTC)
    if mode == "all" and report["rejected"]:
        job.status, job.report = "rejected", report | {"refused": "rows with errors: nothing was imported"}
        return job
    todo = [r.data for r in rows if r.data is not None and r.duplicate_of is None]
    advance = _tracker(job.id, len(todo), progress)
    try:
        ids = writer.insert(session=session, rows=todo, actor=actor, reason=f"import #{job.id} {job.filename}",
                            progress=advance)
    finally:
        with _lock:
            _progress.pop(job.id, None)
    job.status, job.report = "applied", report | {"created": len(ids), "created_ids": ids[:1000]}
    return job


def _tracker(
    job_id: int, total: int, progress: Callable[[int, str], Callable[[int], None]] | None
) -> Callable[[int], None]:
    outer = progress(total, "importing") if progress else None
    with _lock:
        _progress[job_id] = (0, total)

    def advance(n: int) -> None:
        with _lock:
            done, _ = _progress.get(job_id, (0, total))
            _progress[job_id] = (done + n, total)
        if outer:
            outer(n)

    return advance
