"""Staff pages for bulk import: upload, dry-run report, apply."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import HTMLResponse

from stations.api.deps import PageToken, SessionDep, SettingsDep
from stations.api.staff_web import CRS_CHOICES, render, to_login
from stations.errors import StationsError
from stations.geo.crs import Crs
from stations.services import auth, importer

router = APIRouter(prefix="/staff/imports", tags=["staff pages"], include_in_schema=False)
MAX_BYTES = 64 * 1024 * 1024


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, token: PageToken) -> Response:
    """The upload form with template links."""
    if token is None:
        return to_login(request)
    return render(request, "staff/imports.html", token, crses=CRS_CHOICES, job=None)


@router.post("", response_class=HTMLResponse)
async def check_file(
    request: Request, token: PageToken, session: SessionDep, settings: SettingsDep,
    file: Annotated[UploadFile, File()], crs: Annotated[Crs, Form()] = Crs.WGS84,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Dry-run the uploaded file and show the per-row report with the apply buttons."""
    if token is None:
        return to_login(request)
    auth.check_csrf(token=token, given=csrf_token)
    content = await file.read(MAX_BYTES + 1)
    try:
        if len(content) > MAX_BYTES:
            raise StationsError(f"文件超过 {MAX_BYTES // 2**20} MB，请拆分后导入")
        job = importer.dry_run(session=session, content=content, filename=file.filename or "upload.csv", crs=crs,
                               actor=token.user.username, scope=auth.write_scope(token.user),
                               max_rows=settings.import_max_rows)
    except StationsError as exc:
        return render(request, "staff/imports.html", token, status_code=exc.status_code if exc.status_code < 500
                      else 422, crses=CRS_CHOICES, job=None, error=exc.message)
    return render(request, "staff/imports.html", token, crses=CRS_CHOICES, job=job)


@router.post("/{job_id}/apply", response_class=HTMLResponse)
def apply(
    request: Request, job_id: Annotated[int, Path(ge=1)], token: PageToken, session: SessionDep,
    mode: Annotated[Literal["all", "valid"], Form()], csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Apply a checked file in the chosen mode and show the outcome."""
    if token is None:
        return to_login(request)
    auth.check_csrf(token=token, given=csrf_token)
    job = importer.apply(session=session, job_id=job_id, mode=mode, actor=token.user.username,
                         scope=auth.write_scope(token.user))
    notice = f"已导入 {job.report['created']} 个站点" if job.status == "applied" else None
    return render(request, "staff/imports.html", token, crses=CRS_CHOICES, job=job, notice=notice)
