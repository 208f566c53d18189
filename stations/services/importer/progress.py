"""Progress of a check or apply: reported by stage, stored in the job's row by the worker, and where cancel lands."""

from __future__ import annotations

import time
from typing import Protocol

from sqlalchemy import Engine, update

from stations.db.models import ImportJob

STAGES = {"reading": "读取并检查", "matching": "与已登记站点比对", "writing": "写入"}


class Cancelled(Exception):
    """The job's cancel was asked for; whatever the work had written is rolled back."""


class Progress(Protocol):
    """Told how far a stage has come (`total` 0 while unknown); may raise Cancelled."""

    def __call__(self, stage: str, done: int, total: int = 0) -> None:
        """Note that `done` of `total` items of `stage` are done."""


def no_progress(stage: str, done: int, total: int = 0) -> None:
    """Progress nobody follows."""


class JobProgress:
    """Writes progress to the job's row (its own short transactions, so any process reads it) when a stage starts
    or ends and at most every `every` seconds between, and raises Cancelled once someone asked to cancel the job."""

    def __init__(self, *, engine: Engine, job_id: int, every: float = 0.5) -> None:
        self.engine, self.job_id, self.every = engine, job_id, every
        self.stage, self.last = "", 0.0

    def __call__(self, stage: str, done: int, total: int = 0) -> None:
        """Store the stage and counts when a new stage starts or `every` seconds have passed."""
        now = time.monotonic()
        finished = 0 < total <= done
        if stage == self.stage and now - self.last < self.every and not finished:
            return
        self.stage, self.last = stage, now
        statement = (
            update(ImportJob).where(ImportJob.id == self.job_id)
            .values(progress_stage=stage, progress_done=done, progress_total=total)
            .returning(ImportJob.cancel_requested)
        )
        with self.engine.begin() as connection:
            cancel = connection.execute(statement).scalar()
        if cancel:
            raise Cancelled
