"""Bulk import under /api/v1/imports: template, upload with dry run, apply, progress."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile, status

from stations.api.deps import CurrentStaff, SessionDep, SettingsDep
from stations.db.models import ImportJob
from stations.errors import InvalidInput
from stations.geo.crs import Crs
from stations.schemas.imports import ImportProgress, ImportPublic
from stations.services import auth, importer

router = APIRouter(prefix="/api/v1/imports", tags=["staff"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_BYTES = 64 * 1024 * 1024


def to_public(job: ImportJob) -> ImportPublic:
    """The job with its live progress when an apply is running in this process."""
    reply = ImportPublic.model_validate(job)
    running = importer.progress_of(job.id)
    if running:
        done, total = running
        reply.progress = ImportProgress(done=done, total=total, percent=round(100 * done / max(total, 1), 1))
    elif job.status == "applied":
        created = int(job.report.get("created", 0))
        reply.progress = ImportProgress(done=created, total=created, percent=100.0)
    return reply


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


@router.post("", response_model=ImportPublic, status_code=status.HTTP_201_CREATED)
async def upload(
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GB18030) or XLSX")],
    user: CurrentStaff, session: SessionDep, settings: SettingsDep,
    crs: Annotated[Crs, Form(description="coordinate system of rows without a 坐标系 column")] = Crs.WGS84,
    apply: Annotated[Literal["", "all", "valid"], Form(description="apply at once in this mode")] = "",
) -> ImportPublic:
    """Dry-run a file: a per-row report and nothing written (unless `apply` names a mode)."""
    scope = auth.write_scope(user)
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_BYTES // 2**20} MB: split it")
    job = importer.dry_run(session=session, content=content, filename=file.filename or "upload.csv", crs=crs,
                           actor=user.username, scope=scope, max_rows=settings.import_max_rows)
    if apply:
        job = importer.apply(session=session, job_id=job.id, mode=apply, actor=user.username, scope=scope)
    return to_public(job)


@router.post("/{job_id}/apply", response_model=ImportPublic)
def apply_import(
    job_id: Annotated[int, Path(ge=1)], user: CurrentStaff, session: SessionDep,
    mode: Annotated[Literal["all", "valid"], Query(description="all: nothing unless every row is valid")] = "all",
) -> ImportPublic:
    """Apply a checked import: idempotent (rows already registered are skipped), all-or-nothing or valid rows."""
    job = importer.apply(session=session, job_id=job_id, mode=mode, actor=user.username,
                         scope=auth.write_scope(user))
    return to_public(job)


@router.get("/{job_id}", response_model=ImportPublic)
def get_import(job_id: Annotated[int, Path(ge=1)], _: CurrentStaff, session: SessionDep) -> ImportPublic:
    """An import's status, report and progress (poll while an apply runs)."""
    return to_public(importer.get(session=session, job_id=job_id))
