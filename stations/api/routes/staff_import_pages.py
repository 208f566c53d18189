"""Staff pages for bulk import: upload, a job's progress or report, check again with other choices, apply, cancel.

With JavaScript the page uploads and applies through the API in the background and follows the job's progress;
without it the forms post here and the reply waits for the worker (the event loop is not blocked meanwhile).
The report is shown in Chinese, or in English with `?lang=en`.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from stations.api.deps import PageLogin, SessionDep
from stations.api.import_texts import TEXTS
from stations.api.routes.imports import CrsChoice, KindChoice, RunnerDep, SheetChoice, in_language, options_of
from stations.api.staff_web import CRS_CHOICES, KIND_CHOICES, render
from stations.db.models import ImportJob, StaffToken
from stations.errors import Forbidden, StationsError
from stations.services.importer import jobs
from stations.services.importer.progress import STAGES
from stations.services.staff import auth

router = APIRouter(prefix="/staff/imports", tags=["staff pages"], include_in_schema=False)
JobId = Annotated[str, Path(max_length=64)]
PageLang = Annotated[Literal["zh", "en"], Query()]


def _page(request: Request, token: StaffToken, *, job: ImportJob | None = None, report: dict[str, Any] | None = None,
          recent: list[ImportJob] | None = None, status_code: int = 200, error: str | None = None,
          lang: str = "zh") -> Response:
    """The import page: the upload form, a job (its progress, report or outcome) and the region's recent imports."""
    report, t = report or {}, TEXTS[lang]
    context: dict[str, Any] = {"crses": CRS_CHOICES, "kinds": KIND_CHOICES, "job": job, "report": report,
                               "recent": recent or [], "labels": jobs.STATUS_LABELS if lang == "zh"
                               else jobs.STATUS_LABELS_EN, "stages": STAGES, "t": t, "lang": lang,
                               "max_mb": request.app.state.import_runner.limits.max_bytes >> 20}
    if job is not None and job.status in ("applied", "cancelled"):
        context["notice"] = t[f"outcome_{job.status}"].format(created=report.get("created", 0))
    if job is not None and job.error and error is None:
        error = (job.options or {}).get("error_en") or job.error if lang == "en" else job.error
    return render(request, "staff/imports.html", token, status_code=status_code, error=error, **context)


def _failed(request: Request, token: StaffToken, exc: StationsError, lang: str) -> Response:
    return _page(request, token, status_code=exc.status_code if exc.status_code < 500 else 422, error=exc.message,
                 lang=lang)


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, token: PageLogin, session: SessionDep, lang: PageLang = "zh") -> Response:
    """The upload form with template links, and the latest imports of the user's region."""
    try:
        recent = jobs.recent(session=session, scope=auth.write_scope(token.user))
    except Forbidden as exc:
        return _page(request, token, error=exc.message, status_code=exc.status_code, lang=lang)
    return _page(request, token, recent=recent, lang=lang)


@router.post("", response_class=HTMLResponse)
async def check_file(
    request: Request, token: PageLogin, session: SessionDep, runner: RunnerDep,
    file: Annotated[UploadFile, File()], crs: CrsChoice = "", sheet: SheetChoice = "", kind: KindChoice = "",
    csrf_token: Annotated[str, Form()] = "", lang: PageLang = "zh",
) -> Response:
    """Check the uploaded file in a worker and show its report with the apply buttons."""
    try:
        with in_language(lang):
            auth.check_csrf(token=token, given=csrf_token)
            scope = auth.write_scope(token.user)
            await asyncio.to_thread(session.commit)  # no pooled connection idles in a transaction meanwhile
            content = await file.read(runner.limits.max_bytes + 1)
            job = await runner.upload(content=content, filename=file.filename or "upload.csv",
                                      options=options_of(crs, sheet, kind), actor=token.user.username, scope=scope,
                                      then=None, wait=True)
    except StationsError as exc:
        return _failed(request, token, exc, lang)
    return _page(request, token, job=job, report=await runner.report_summary(job, lang), lang=lang)


@router.get("/{job_id}", response_class=HTMLResponse)
def show(request: Request, job_id: JobId, token: PageLogin, session: SessionDep, lang: PageLang = "zh") -> Response:
    """One job: its progress while it runs (followed by import.js), else its report and outcome."""
    with in_language(lang):
        job = jobs.visible(session=session, public_id=job_id, scope=auth.write_scope(token.user))
    return _page(request, token, job=job, report=jobs.report_summary(session=session, job_id=job.id, lang=lang),
                 lang=lang)


@router.post("/{job_id}/recheck", response_class=HTMLResponse)
async def recheck(
    request: Request, job_id: JobId, token: PageLogin, session: SessionDep, runner: RunnerDep, crs: CrsChoice = "",
    sheet: SheetChoice = "", kind: KindChoice = "", csrf_token: Annotated[str, Form()] = "", lang: PageLang = "zh",
) -> Response:
    """Check a job's file again with the sheet, coordinate system or kind chosen, and show the new report."""
    try:
        with in_language(lang):
            auth.check_csrf(token=token, given=csrf_token)
            scope = auth.write_scope(token.user)
            await asyncio.to_thread(session.commit)
            job = await runner.recheck(public_id=job_id, scope=scope, options=options_of(crs, sheet, kind),
                                       actor=token.user.username, wait=True)
    except StationsError as exc:
        return _failed(request, token, exc, lang)
    return _page(request, token, job=job, report=await runner.report_summary(job, lang), lang=lang)


@router.post("/{job_id}/apply", response_class=HTMLResponse)
async def apply(
    request: Request, job_id: JobId, token: PageLogin, session: SessionDep, runner: RunnerDep,
    mode: Annotated[Literal["all", "valid"], Form()], csrf_token: Annotated[str, Form()] = "", lang: PageLang = "zh",
) -> Response:
    """Apply a checked file in the chosen mode and show the outcome."""
    try:
        with in_language(lang):
            auth.check_csrf(token=token, given=csrf_token)
            scope = auth.write_scope(token.user)
            await asyncio.to_thread(session.commit)
            job = await runner.apply(public_id=job_id, scope=scope, mode=mode, actor=token.user.username, wait=True)
    except StationsError as exc:
        return _failed(request, token, exc, lang)
    return _page(request, token, job=job, report=await runner.report_summary(job, lang), lang=lang)


@router.post("/{job_id}/cancel")
def cancel(request: Request, job_id: JobId, token: PageLogin, session: SessionDep,
           csrf_token: Annotated[str, Form()] = "", lang: PageLang = "zh") -> Response:
    """Ask a running check or apply to stop, then show the job."""
    with in_language(lang):
        auth.check_csrf(token=token, given=csrf_token)
        jobs.request_cancel(session=session, public_id=job_id, scope=auth.write_scope(token.user))
    return RedirectResponse(f"/staff/imports/{job_id}?lang={lang}", status_code=303)
