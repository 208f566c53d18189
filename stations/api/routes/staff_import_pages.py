"""Staff pages for bulk import: upload, a job's progress or report, apply and cancel.

With JavaScript the page uploads and applies through the API in the background and follows the job's progress;
without it the form posts here and the reply waits for the worker (the event loop is not blocked meanwhile).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from stations.api.deps import PageLogin, SessionDep
from stations.api.routes.imports import RunnerDep
from stations.api.staff_web import CRS_CHOICES, render
from stations.db.models import ImportJob, StaffToken
from stations.errors import Forbidden, StationsError
from stations.geo.crs import Crs
from stations.services.importer import jobs
from stations.services.importer.progress import STAGES
from stations.services.staff import auth

router = APIRouter(prefix="/staff/imports", tags=["staff pages"], include_in_schema=False)
JobId = Annotated[str, Path(max_length=64)]
OUTCOMES = {"applied": "已导入 {created} 个站点", "cancelled": "已取消，没有写入任何站点"}


def _page(request: Request, token: StaffToken, *, job: ImportJob | None = None, report: dict[str, Any] | None = None,
          recent: list[ImportJob] | None = None, status_code: int = 200, error: str | None = None) -> Response:
    """The import page: the upload form, a job (its progress, report or outcome) and the region's recent imports."""
    report = report or {}
    context: dict[str, Any] = {"crses": CRS_CHOICES, "job": job, "report": report, "recent": recent or [],
                               "labels": jobs.STATUS_LABELS, "stages": STAGES,
                               "max_mb": request.app.state.import_runner.limits.max_bytes >> 20}
    if job is not None and job.status in OUTCOMES:
        context["notice"] = OUTCOMES[job.status].format(created=report.get("created", 0))
    error = error or (job.error if job is not None else None)
    return render(request, "staff/imports.html", token, status_code=status_code, error=error, **context)


def _failed(request: Request, token: StaffToken, exc: StationsError) -> Response:
    return _page(request, token, status_code=exc.status_code if exc.status_code < 500 else 422, error=exc.message)


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, token: PageLogin, session: SessionDep) -> Response:
    """The upload form with template links, and the latest imports of the user's region."""
    try:
        recent = jobs.recent(session=session, scope=auth.write_scope(token.user))
    except Forbidden as exc:
        return _page(request, token, error=exc.message, status_code=exc.status_code)
    return _page(request, token, recent=recent)


@router.post("", response_class=HTMLResponse)
async def check_file(
    request: Request, token: PageLogin, session: SessionDep, runner: RunnerDep,
    file: Annotated[UploadFile, File()], crs: Annotated[Crs, Form()] = Crs.WGS84,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Check the uploaded file in a worker and show its per-row report with the apply buttons."""
    try:
        auth.check_csrf(token=token, given=csrf_token)
        scope = auth.write_scope(token.user)
        await asyncio.to_thread(session.commit)  # no pooled connection idles in a transaction while the worker runs
        content = await file.read(runner.limits.max_bytes + 1)
        job = await runner.upload(content=content, filename=file.filename or "upload.csv", crs=crs,
                                  actor=token.user.username, scope=scope, then=None, wait=True)
    except StationsError as exc:
        return _failed(request, token, exc)
    return _page(request, token, job=job, report=await runner.report_summary(job))


@router.get("/{job_id}", response_class=HTMLResponse)
def show(request: Request, job_id: JobId, token: PageLogin, session: SessionDep) -> Response:
    """One job: its progress while it runs (followed by import.js), else its report and outcome."""
    job = jobs.visible(session=session, public_id=job_id, scope=auth.write_scope(token.user))
    return _page(request, token, job=job, report=jobs.report_summary(session=session, job_id=job.id))


@router.post("/{job_id}/apply", response_class=HTMLResponse)
async def apply(
    request: Request, job_id: JobId, token: PageLogin, session: SessionDep, runner: RunnerDep,
    mode: Annotated[Literal["all", "valid"], Form()], csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Apply a checked file in the chosen mode and show the outcome."""
    try:
        auth.check_csrf(token=token, given=csrf_token)
        scope = auth.write_scope(token.user)
        await asyncio.to_thread(session.commit)
        job = await runner.apply(public_id=job_id, scope=scope, mode=mode, actor=token.user.username, wait=True)
    except StationsError as exc:
        return _failed(request, token, exc)
    return _page(request, token, job=job, report=await runner.report_summary(job))


@router.post("/{job_id}/cancel")
def cancel(request: Request, job_id: JobId, token: PageLogin, session: SessionDep,
           csrf_token: Annotated[str, Form()] = "") -> Response:
    """Ask a running check or apply to stop, then show the job."""
    auth.check_csrf(token=token, given=csrf_token)
    jobs.request_cancel(session=session, public_id=job_id, scope=auth.write_scope(token.user))
    return RedirectResponse(f"/staff/imports/{job_id}", status_code=303)
