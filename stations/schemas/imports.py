"""The import schema family: ImportIssue, ImportColumn, ImportProgress, ImportPublic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from stations.db.models import ImportJob


class ImportIssue(BaseModel):
    """One note of an import report: about some rows (`issues`, the same note on many rows listed once) or about the
    whole file (`file_notes`, no rows). The report's `en` member holds the same texts in English; `lang=en` puts
    them in place."""

    row: int | None = Field(description="the first row it is about (spreadsheet numbering); none for the file")
    rows: list[int] = Field(description="the rows it is about (at most 1,000 listed)")
    row_count: int = Field(description="how many rows it is about")
    column: str = Field(description="the column's header as the file has it (经度(高德), 联系方式...)")
    field: str = Field(description="the field the column fills (lon, phone...), empty for the file")
    code: str = Field(description="the message's stable code (hours_bad, adcode_disagrees...)")
    level: str = Field(description="error (the row is not imported), warning or note")
    problem: str
    suggestion: str = Field(description="what to put in that cell when it is a value (pasteable), else what to do")


class ImportColumn(BaseModel):
    """One column of the file as the import used it (report `columns`)."""

    column: str = Field(description="its letters (A, B, ... AB)")
    header: str
    field: str | None
    crs: str | None = Field(description="the coordinate system its header states (经度(高德) -> gcj02)")
    imported: bool
    use: str = Field(description="what was done with it, or why it was not imported")


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
    report: dict[str, Any] = Field(description="the report: how the file was read (sheet, header_rows, crs), "
                                               "columns (ImportColumn), file_notes and issues (ImportIssue), counts, "
                                               "needs (['crs']: state the datum before apply), each row's outcome")

    @classmethod
    def of(cls, job: ImportJob, lang: str = "zh") -> ImportPublic:
        """The public view of a job in `lang`, its report left empty (the API splices the stored one in: `reply`)."""
        progress = None
        if job.progress_stage:
            total, done = job.progress_total, job.progress_done
            percent = round(100 * min(done, total) / total, 1) if total else None
            progress = ImportProgress(stage=job.progress_stage, done=done, total=total, percent=percent)
        return cls(
            id=job.public_id, filename=job.filename, status=job.status, mode=job.mode, actor=job.actor,
            total_rows=job.total_rows, created_at=job.created_at, applied_at=job.applied_at,
            cancel_requested=job.cancel_requested, progress=progress,
            error=(job.options or {}).get("error_en") or job.error if lang == "en" else job.error, report={},
        )

    def reply(self, report: bytes) -> bytes:
        """This view as JSON bytes with `report` (stored JSON text) as its report, unparsed."""
        return self.model_dump_json(exclude={"report"}).encode()[:-1] + b',"report":' + report + b"}"
