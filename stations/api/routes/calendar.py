"""The holiday calendar for admins: which years are known, and loading a year's schedule (dry run, then apply)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile, status

from stations.api.deps import CurrentAdmin, CurrentStaff, SessionDep
from stations.schemas.calendar import CalendarReport, CalendarStatus, CalendarYear, CalendarYearDetail
from stations.services import holidays
from stations.services.holidays.files import MAX_BYTES

router = APIRouter(prefix="/api/v1/admin/calendar", tags=["admin"])


@router.get("", response_model=CalendarStatus)
def calendar_status(request: Request, _: CurrentStaff, session: SessionDep) -> CalendarStatus:
    """Per year: official (chinesecalendar), loaded (by whom, when) or not known; and a missing schedule's notice."""
    today = request.app.state.clock().date()
    years = [CalendarYear(**vars(y)) for y in holidays.year_statuses(session=session, today=today)]
    notice = holidays.missing_schedule_notice(request.app.state.calendar.current, today)
    return CalendarStatus(years=years, notice=notice)


@router.post("/imports", response_model=CalendarReport,
             responses={201: {"model": CalendarReport, "description": "applied"}})
async def import_schedule(
    request: Request, response: Response, user: CurrentAdmin, session: SessionDep,
    file: Annotated[UploadFile, File(description="holiday-cn {year}.json, or CSV lines date,kind,name")],
    year: Annotated[int | None, Form(ge=1950, le=2199, description="the year, when a CSV does not make it plain")]
    = None,
    apply: Annotated[bool, Form(description="false: dry run (nothing written); true: load it")] = False,
) -> CalendarReport:
    """Check a year's schedule and show what it changes; with `apply=true`, load it (replacing that year)."""
    content = await file.read(MAX_BYTES + 1)
    schedule = holidays.read_schedule(content, file.filename or "schedule", year=year)
    if not apply:
        return CalendarReport(**holidays.preview(session=session, schedule=schedule).report())
    result = holidays.apply(session=session, schedule=schedule, actor=user.username)
    request.app.state.calendar.refresh(session=session)
    response.status_code = status.HTTP_201_CREATED
    return CalendarReport(**result.report(), applied=True)


@router.get("/{year}", response_model=CalendarYearDetail)
def calendar_year(
    year: Annotated[int, Path(ge=1950, le=2199)], _: CurrentStaff, session: SessionDep
) -> CalendarYearDetail:
    """A loaded year's days and the history of its loads (who, when, from what, what changed), newest first."""
    return CalendarYearDetail(**holidays.year_detail(session=session, year=year))
