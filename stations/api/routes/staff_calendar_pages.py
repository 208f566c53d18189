"""Staff page for the holiday calendar: the years known, and (admins) loading next year's schedule."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from stations.api.deps import PageLogin, SessionDep
from stations.api.staff_web import render
from stations.db.models import Role, StaffToken
from stations.errors import Forbidden, StationsError
from stations.services import holidays
from stations.services.holidays.files import MAX_BYTES
from stations.services.staff import auth

router = APIRouter(prefix="/staff/calendar", tags=["staff pages"], include_in_schema=False)


def _page(request: Request, session: Session, token: StaffToken, *, status_code: int = 200,
          **context: Any) -> Response:
    today = request.app.state.clock().date()
    years = holidays.year_statuses(session=session, today=today)
    context.setdefault("calendar_notice", holidays.missing_schedule_notice(request.app.state.calendar.current, today))
    return render(request, "staff/calendar.html", token, status_code=status_code, years=years,
                  recent=[y for y in years if y.year >= today.year - 1], **context)


def _admin(token: StaffToken, csrf_token: str) -> None:
    auth.check_csrf(token=token, given=csrf_token)
    if token.user.role is not Role.ADMIN:
        raise Forbidden("只有管理员可以导入节假日安排")


@router.get("", response_class=HTMLResponse)
def calendar_page(request: Request, session: SessionDep, token: PageLogin) -> Response:
    """Per year: official, loaded (by whom, when) or not known; the upload form for admins."""
    return _page(request, session, token, report=None)


@router.post("", response_class=HTMLResponse)
async def check_schedule(
    request: Request, session: SessionDep, token: PageLogin, file: Annotated[UploadFile, File()],
    year: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Dry run: read the file and show what it would change, with a button to load it."""
    content = await file.read(MAX_BYTES + 1)
    try:
        _admin(token, csrf_token)
        schedule = holidays.read_schedule(content, file.filename or "schedule", year=_year(year))
        report = holidays.preview(session=session, schedule=schedule).report()
    except StationsError as exc:
        return _page(request, session, token, status_code=exc.status_code, report=None, error=exc.message)
    text = content.decode("utf-8-sig", errors="replace") if schedule.ok else ""
    return _page(request, session, token, report=report, content=text, filename=file.filename, year=year)


@router.post("/apply", response_class=HTMLResponse)
def apply_schedule(
    request: Request, session: SessionDep, token: PageLogin, content: Annotated[str, Form(max_length=MAX_BYTES)],
    filename: Annotated[str, Form(max_length=200)] = "schedule", year: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Load the schedule the dry run showed (checked again), and say so."""
    try:
        _admin(token, csrf_token)
        schedule = holidays.read_schedule(content.encode(), filename, year=_year(year))
        holidays.apply(session=session, schedule=schedule, actor=token.user.username)
    except StationsError as exc:
        return _page(request, session, token, status_code=exc.status_code, report=None, error=exc.message)
    request.app.state.calendar.refresh(session=session)
    return _page(request, session, token, report=None, notice=f"已导入 {schedule.year} 年的节假日安排")


def _year(text: str) -> int | None:
    """The optional year field: blank, or a year the form must name for a CSV."""
    value = text.strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not 1950 <= int(value) <= 2199:
        raise StationsError("年份应为四位数字，如 2027")
    return int(value)
