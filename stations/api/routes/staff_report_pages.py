"""The worker-report queue page: open reports in the user's region, resolved with a note."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from stations.api.deps import PageLogin, SessionDep
from stations.api.staff_web import render
from stations.db.models import ReportStatus
from stations.hours import SHANGHAI
from stations.services.feedback import moderation
from stations.services.staff import auth

router = APIRouter(prefix="/staff/reports", tags=["staff pages"], include_in_schema=False)
KIND_LABELS = {"closed": "站点关门", "no_water": "没有饮水", "broken_ac": "空调坏了", "wrong_place": "位置不对",
               "sign_missing": "没有标识", "other": "其他问题", "was_here": "我来过"}
STATUS_CHOICES = [("resolved", "已解决"), ("in_progress", "处理中"), ("dismissed", "不予处理")]


@router.get("", response_class=HTMLResponse)
def report_queue(request: Request, token: PageLogin, session: SessionDep, done: int = 0) -> Response:
    """Open reports in the user's region, oldest first."""
    rows = moderation.queue(session=session, region=token.user.region_prefix)
    return render(request, "staff/reports.html", token, rows=rows, kinds=KIND_LABELS, statuses=STATUS_CHOICES,
                  notice="已保存处理结果" if done else None)


@router.post("/{report_id}")
def handle_report(
    request: Request, report_id: Annotated[int, Path(ge=1)], token: PageLogin, session: SessionDep,
    status: Annotated[ReportStatus, Form()], note: Annotated[str, Form(max_length=500)] = "",
    confirms: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Mark a report resolved, in progress or dismissed, with a note; optionally confirm the station."""
    auth.check_csrf(token=token, given=csrf_token)
    moderation.handle(session=session, report_id=report_id, status=status, note=note, confirms=confirms == "1",
                      actor=token.user.username, scope=auth.write_scope(token.user),
                      today=datetime.now(SHANGHAI).date())
    return RedirectResponse("/staff/reports?done=1", status_code=303)
