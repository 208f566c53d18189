"""The dry run: every row read and checked as it streams in, then duplicates in the file and in the registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from stations.db import import_queries
from stations.db.models import ImportJob
from stations.geo.crs import Crs
from stations.services.importer import duplicates, jobs, reader
from stations.services.importer.limits import Limits
from stations.services.importer.progress import Progress, no_progress
from stations.services.importer.rows import CheckedRow, check_row
from stations.services.importer.sheet import Sheet

MAX_ISSUES = 5000
_EVERY = 256  # rows between two progress reports


@dataclass
class Checked:
    """A file after checking: how it was read, its rows counted from the header, and the non-empty rows checked."""

    sheet: Sheet
    total_rows: int
    rows: list[CheckedRow]


def check(
    *, session: Session, content: bytes, filename: str, crs: Crs, scope: str, limits: Limits,
    progress: Progress = no_progress,
) -> Checked:
    """Read and check every row, then flag duplicates within the file and against the registry."""
    sheet = reader.read(content, filename, limits)
    rows: list[CheckedRow] = []
    last = sheet.header_row
    for raw in sheet.rows:
        last = raw.number
        if any(v.strip() for v in raw.values.values()):
            rows.append(check_row(raw.number, raw.values, formulas=raw.formulas, default_crs=crs, scope=scope))
            if len(rows) % _EVERY == 0:
                progress("reading", len(rows))
    progress("reading", len(rows), len(rows))
    duplicates.within_file(rows)
    duplicates.against_registry(session=session, rows=rows, progress=progress)
    return Checked(sheet=sheet, total_rows=last - sheet.header_row, rows=rows)


def _row_status(row: CheckedRow) -> str:
    return "rejected" if row.data is None else "duplicate" if row.duplicate_of else "ok"


def report(checked: Checked, *, filename: str) -> dict[str, Any]:
    """The per-row report a clerk reads: counts, the first MAX_ISSUES issues and each row's outcome."""
    rows = checked.rows
    issues = [vars(i) for r in rows for i in r.issues]
    return {
        "filename": filename, "encoding": checked.sheet.encoding, "ignored_headers": checked.sheet.ignored_headers,
        "total_rows": checked.total_rows, "empty_rows": checked.total_rows - len(rows),
        "valid": sum(1 for r in rows if r.data is not None and r.duplicate_of is None),
        "rejected": sum(1 for r in rows if r.data is None),
        "duplicates": sum(1 for r in rows if r.data is not None and r.duplicate_of is not None),
        "created": 0, "issue_count": len(issues), "issues": issues[:MAX_ISSUES],
        "rows": {str(r.number): _row_status(r) for r in rows},
    }


def fill(*, session: Session, job: ImportJob, limits: Limits, progress: Progress = no_progress) -> ImportJob:
    """Check a job's file and store its report; the job is then `checked` (or Cancelled is raised)."""
    checked = check(session=session, content=job.content, filename=job.filename, crs=Crs(job.crs or "wgs84"),
                    scope=job.region, limits=limits, progress=progress)
    job.total_rows, job.report = checked.total_rows, report(checked, filename=job.filename)
    earlier = import_queries.applied_earlier(session=session, sha256=job.sha256, region=job.region)
    if earlier is not None:
        job.report["already_applied"] = {"job": earlier.public_id, "at": str(earlier.applied_at)}
    jobs.finish(session=session, job=job, status="checked")
    return job


def dry_run(
    *, session: Session, content: bytes, filename: str, crs: Crs, actor: str, scope: str,
    limits: Limits | None = None, progress: Progress = no_progress,
) -> ImportJob:
    """Check a file in this process without changing the registry; the job keeps the file and report for apply."""
    limits = limits or Limits()
    job = jobs.create(session=session, content=content, filename=filename, crs=crs, actor=actor, region=scope,
                      seconds=limits.seconds)
    return fill(session=session, job=job, limits=limits, progress=progress)
