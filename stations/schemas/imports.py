"""The import schema family: ImportIssue, ImportProgress, ImportPublic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from stations.db.models import ImportJob


class ImportIssue(BaseModel):
    """One problem in one row of an import file."""

    row: int
    field: str
    problem: str
    suggestion: str
    level: str


class ImportProgress(BaseModel):
    """How far a running check or apply has come: the stage, items done of items (total 0 while not known)."""

    stage: str = Field(description="reading (rows read and checked), matching (against the registry), writing")
    done: int
    total: int
    percent: float | None


class ImportPublic(BaseModel):
    """An import job: status, the per-row report, progress while a worker runs, and why it failed if it did."""

    id: str = Field(description="random public id (I + 15 characters)")
    filename: str
    status: str = Field(description="checking, checked, applying, applied, rejected, failed or cancelled")
    mode: str | None
    actor: str
    total_rows: int
    created_at: datetime
    applied_at: datetime | None
    cancel_requested: bool = False
    progress: ImportProgress | None = None
    error: str | None = None
    report: dict[str, Any] = Field(description="the per-row report: counts, issues, each row's outcome")

    @classmethod
    def of(cls, job: ImportJob) -> ImportPublic:
        """The public view of a job, its report left empty (the API splices the stored one in: `reply`)."""
        progress = None
        if job.progress_stage:
            total, done = job.progress_total, job.progress_done
            percent = round(100 * min(done, total) / total, 1) if total else None
            progress = ImportProgress(stage=job.progress_stage, done=done, total=total, percent=percent)
        return cls(
            id=job.public_id, filename=job.filename, status=job.status, mode=job.mode, actor=job.actor,
            total_rows=job.total_rows, created_at=job.created_at, applied_at=job.applied_at,
            cancel_requested=job.cancel_requested, progress=progress, error=job.error, report={},
        )

    def reply(self, report: bytes) -> bytes:
        """This view as JSON bytes with `report` (stored JSON text) as its report, unparsed."""
        return self.model_dump_json(exclude={"report"}).encode()[:-1] + b',"report":' + report + b"}"
