"""Bulk import under /api/v1/imports: template, upload with dry run, apply, progress, cancel.

Checks and applies run in a worker process (`services.importer.runner`); these routes await it without blocking
the event loop, or answer 202 at once when the client sends `Prefer: respond-async` and then polls the job.
A job is visible only to staff whose region contains its creator's; any other id, real or not, is a 404.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Path, Query, Request, Response, UploadFile, status

from stations.api.deps import CurrentStaff, SessionDep
from stations.db.models import ImportJob
from stations.errors import StationsError
from stations.geo.crs import Crs
from stations.reference import Kind
from stations.schemas.imports import ImportPublic
from stations.services import importer
from stations.services.importer import jobs
from stations.services.importer.messages import english
from stations.services.importer.runner import ImportRunner
from stations.services.staff import auth

router = APIRouter(prefix="/api/v1/imports", tags=["staff"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JobId = Annotated[str, Path(max_length=64, description="the job's public id")]
Prefer = Annotated[str, Header(description="`respond-async`: answer 202 at once and check in the background")]
ERRORS: dict[int | str, dict[str, Any]] = {
    409: {"description": "the job is not in a state that allows this (or its file must state its datum first)"},
    413: {"description": "file past a size limit (bytes, rows, columns, unpacked size, time, memory)"},
    429: {"description": "too many imports running in this process; retry after Retry-After"},
}
Lang = Annotated[Literal["zh", "en"], Query(description="language of the report's messages and of errors")]
CrsChoice = Annotated[Literal["", "wgs84", "gcj02", "bd09"], Form(
    description="coordinate system of the file's points where its headers and 坐标系 column do not say; empty: not "
                "stated (then a file whose points look like GCJ-02 must state it before apply)")]
SheetChoice = Annotated[str, Form(max_length=100, description="the workbook's sheet to read, by name or number; "
                                                              "empty: the first sheet with a usable header")]
KindChoice = Annotated[Literal["", "outdoor_station", "mothers_room", "reading_room"], Form(
    description="kind of rows without one (a file with no 类型 column); empty: from the title or the names")]


def options_of(crs: str, sheet: str, kind: str) -> importer.Options:
    """The upload's choices for the whole file."""
    return importer.Options(crs=Crs(crs) if crs else None, sheet=sheet.strip() or None,
                            kind=Kind(kind) if kind else None)


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Answer an import's error in `lang` (the English message its error carries, when asked for)."""
    try:
        yield
    except StationsError as exc:
        if lang == "en" and (en := english(exc)):
            exc.message = en
        raise


def get_runner(request: Request) -> ImportRunner:
    """The app's import runner."""
    runner: ImportRunner = request.app.state.import_runner
    return runner


RunnerDep = Annotated[ImportRunner, Depends(get_runner)]


async def release(session: SessionDep) -> None:
    """End the login's transaction before a long wait, so no pooled connection idles in it meanwhile."""
    await asyncio.to_thread(session.commit)


def reply(job: ImportJob, report: bytes, *, status_code: int = 200, prefer: str = "", lang: str = "zh") -> Response:
    """The job as JSON with its stored report; 202 with its Location while it runs in the background."""
    body = ImportPublic.of(job, lang).reply(report)
    if "respond-async" in prefer:
        return Response(body, status_code=202, media_type="application/json",
                        headers={"Location": f"{router.prefix}/{job.public_id}"})
    return Response(body, status_code=status_code, media_type="application/json")


@router.get("/template.csv")
def template_csv() -> Response:
    """The import template as UTF-8 CSV (with BOM, opens in Excel) with Chinese headers and an example."""
    return Response(importer.template_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="stations-template.csv"'})


@router.get("/template.xlsx")
def template_xlsx() -> Response:
    """The import template as XLSX, with a sheet listing Chinese and English headers."""
    return Response(importer.template_xlsx(), media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="stations-template.xlsx"'})


@router.post("", response_model=ImportPublic, status_code=status.HTTP_201_CREATED,
             responses={202: {"model": ImportPublic, "description": "checking in the background"}, **ERRORS})
async def upload(
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX")],
    user: CurrentStaff, session: SessionDep, runner: RunnerDep, crs: CrsChoice = "", sheet: SheetChoice = "",
    kind: KindChoice = "",
    apply: Annotated[Literal["", "all", "valid"], Form(description="apply at once in this mode")] = "",
    prefer: Prefer = "", lang: Lang = "zh",
) -> Response:
    """Dry-run a file in a worker process: a per-row report and nothing written (unless `apply` names a mode)."""
    with in_language(lang):
        scope = auth.write_scope(user)
        await release(session)
        content = await file.read(runner.limits.max_bytes + 1)
        job = await runner.upload(content=content, filename=file.filename or "upload.csv",
                                  options=options_of(crs, sheet, kind), actor=user.username, scope=scope,
                                  then=apply or None, wait="respond-async" not in prefer)
    return reply(job, await runner.report_json(job, lang), status_code=status.HTTP_201_CREATED, prefer=prefer,
                 lang=lang)


@router.post("/{job_id}/recheck", response_model=ImportPublic, status_code=status.HTTP_201_CREATED,
             responses={202: {"model": ImportPublic, "description": "checking in the background"}, **ERRORS})
async def recheck_import(
    job_id: JobId, user: CurrentStaff, session: SessionDep, runner: RunnerDep, crs: CrsChoice = "",
    sheet: SheetChoice = "", kind: KindChoice = "", prefer: Prefer = "", lang: Lang = "zh",
) -> Response:
    """Check a job's file again with other choices (coordinate system, sheet, kind): a new job and its report."""
    with in_language(lang):
        scope = auth.write_scope(user)
        await release(session)
        job = await runner.recheck(public_id=job_id, scope=scope, options=options_of(crs, sheet, kind),
                                   actor=user.username, wait="respond-async" not in prefer)
    return reply(job, await runner.report_json(job, lang), status_code=status.HTTP_201_CREATED, prefer=prefer,
                 lang=lang)


@router.post("/{job_id}/apply", response_model=ImportPublic,
             responses={202: {"model": ImportPublic, "description": "applying in the background"}, **ERRORS})
async def apply_import(
    job_id: JobId, user: CurrentStaff, session: SessionDep, runner: RunnerDep,
    mode: Annotated[Literal["all", "valid"], Query(description="all: nothing unless every row is valid")] = "all",
    prefer: Prefer = "", lang: Lang = "zh",
) -> Response:
    """Apply a checked import: idempotent (rows already registered are skipped), all-or-nothing or valid rows."""
    with in_language(lang):
        scope = auth.write_scope(user)
        await release(session)
        job = await runner.apply(public_id=job_id, scope=scope, mode=mode, actor=user.username,
                                 wait="respond-async" not in prefer)
    return reply(job, await runner.report_json(job, lang), prefer=prefer, lang=lang)


@router.post("/{job_id}/cancel", response_model=ImportPublic, responses={409: ERRORS[409]})
def cancel_import(job_id: JobId, user: CurrentStaff, session: SessionDep, lang: Lang = "zh") -> Response:
    """Ask a running check or apply to stop; its worker rolls back and the job ends `cancelled`."""
    with in_language(lang):
        job = jobs.request_cancel(session=session, public_id=job_id, scope=auth.write_scope(user))
    return reply(job, jobs.report_json(session=session, job_id=job.id, lang=lang), lang=lang)


@router.get("/{job_id}", response_model=ImportPublic)
def get_import(job_id: JobId, user: CurrentStaff, session: SessionDep, lang: Lang = "zh") -> Response:
    """An import's status, report and progress (poll it while a check or apply runs), messages in `lang`."""
    with in_language(lang):
        job = jobs.visible(session=session, public_id=job_id, scope=auth.write_scope(user))
    return reply(job, jobs.report_json(session=session, job_id=job.id, lang=lang), lang=lang)
