"""The import schema family: ImportIssue, ImportProgress, ImportPublic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ImportIssue(BaseModel):
    """One problem in one row of an import file."""

    row: int
    field: str
    problem: str
    suggestion: str
    level: str


class ImportProgress(BaseModel):
    """How far an apply has come (rows written of rows to write)."""

    done: int
    total: int
    percent: float


class ImportPublic(BaseModel):
    """An import job: its status, the per-row report and, while applying, its progress."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    status: str
    mode: str | None
    actor: str
    total_rows: int
    created_at: datetime
    applied_at: datetime | None
    progress: ImportProgress | None = None
    report: dict[str, Any]
