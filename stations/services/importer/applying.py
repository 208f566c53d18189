"""Applying a checked import: the file re-checked against the registry as it is now (its file checks kept from the
dry run), its new rows inserted."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.orm import Session

from stations.db.models import ImportJob
from stations.services.importer import jobs, stored, writer
from stations.services.importer.checking import against_registry, check
from stations.services.importer.limits import Limits
from stations.services.importer.options import Options
from stations.services.importer.progress import Progress, no_progress
from stations.services.importer.report import Checked, build, refused

Mode = Literal["all", "valid"]


def apply(
    *, session: Session, job_id: int, mode: Mode, actor: str, limits: Limits | None = None,
    progress: Progress = no_progress,
) -> ImportJob:
    """Re-check the job's file and insert its valid, new rows (mode `all`: only if no row has an error).

    Rows are checked against the region of the job's creator. Applies run one at a time (an advisory lock), so
    two files holding the same station cannot both insert it; everything is in the caller's transaction.
    """
    job = jobs.load(session=session, job_id=job_id)
    if job.status == "checked":  # applied in this process: claimed in this transaction
        if "crs" in job.options.get("needs", []):
            raise jobs.needs_crs(job)
        job.status, job.mode = "applying", mode
    elif job.status != "applying":
        raise jobs.claim_refusal(job)
    writer.one_apply_at_a_time(session)
    checked = _checked(session=session, job=job, limits=limits or Limits(), progress=progress)
    outcome = build(checked, filename=job.filename) | {"mode": mode}
    if mode == "all" and outcome["rejected"]:
        job.mode, job.applied_at = mode, datetime.now(UTC)
        job.report, job.checked = refused(outcome), None
        jobs.finish(session=session, job=job, status="rejected")
        return job
    todo = [r.data for r in checked.rows if r.data is not None and r.duplicate_of is None]
    written = 0

    def advance(n: int) -> None:
        nonlocal written
        written += n
        progress("writing", written, len(todo))

    progress("writing", 0, len(todo))
    ids = writer.insert(session=session, rows=todo, actor=actor, reason=f"import {job.public_id} {job.filename}",
                        progress=advance)
    # The job's row is changed only now: once this transaction writes it, the worker's progress (another
    # connection) could not write it until the commit.
    job.mode, job.applied_at = mode, datetime.now(UTC)
    job.report = outcome | {"created": len(ids), "created_ids": ids[:1000]}
    job.checked = None  # applied: never needed again
    jobs.finish(session=session, job=job, status="applied")
    return job


def _checked(*, session: Session, job: ImportJob, limits: Limits, progress: Progress) -> Checked:
    """The job's file checked against the registry as it is now: the dry run's file checks when the job kept them
    (the same file, options and scope give the same), else the file read and checked again."""
    kept = stored.load(job.checked)
    if kept is None:
        return check(session=session, content=job.content, filename=job.filename,
                     options=Options.stored(job.crs, job.options), scope=job.region, limits=limits,
                     progress=progress)
    progress("reading", len(kept.rows), len(kept.rows))
    return against_registry(session=session, checked=kept, progress=progress)
