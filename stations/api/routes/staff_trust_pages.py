"""Staff pages of issue 22: the inspection form (phone-sized), a station's quality and photos, the queue of what
riders and inspections flagged, and possible duplicates with merging."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from stations.api.deps import PageLogin, SessionDep, SettingsDep
from stations.api.routes.photos import limits
from stations.api.staff_web import render, validation_message
from stations.db import trust_queries
from stations.errors import InvalidInput, StationsError
from stations.schemas.trust import InspectionCreate
from stations.services.registry import stations as registry
from stations.services.staff import auth
from stations.services.trust import checkins, checklists, duplicates, facts, imaging, inspections, merging, photos
from stations.services.trust import quality as scoring

router = APIRouter(prefix="/staff", tags=["staff pages"], include_in_schema=False)
StationId = Annotated[int, Path(ge=1, le=2**63 - 1)]
ANSWERS = (("pass", "合格"), ("fail", "不合格"), ("na", "不适用"))


@router.get("/stations/{station_id}/inspect", response_class=HTMLResponse)
def inspect_form(request: Request, station_id: StationId, token: PageLogin, session: SessionDep) -> Response:
    """The checklist of the station's province, one big choice per item (made for a phone on site)."""
    station = registry.get(session=session, station_id=station_id)
    auth.ensure_in_scope(auth.inspect_scope(token.user), station.adcode)
    return _inspect_page(request, token, session, station, status_code=200)


def _inspect_page(request: Request, token: Any, session: SessionDep, station: Any, *, status_code: int,
                  error: str | None = None, posted: dict[str, Any] | None = None) -> HTMLResponse:
    _, rules = checklists.for_station(session=session, adcode=station.adcode)
    return render(request, "staff/inspect.html", token, station=station, rules=rules, answers=ANSWERS,
                  photo_kinds=photos.KINDS, today=request.app.state.clock().date(), status_code=status_code,
                  error=error, posted=posted or {})


async def _photo(form: Any) -> bytes | None:
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return await upload.read()


@router.post("/stations/{station_id}/inspect", response_class=HTMLResponse)
async def inspect(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                  settings: SettingsDep) -> Response:
    """Save the visit (and its photo); back to the station's quality page, which shows the rating."""
    form = await request.form()
    auth.check_csrf(token=token, given=str(form.get("csrf_token") or ""))
    station = registry.get(session=session, station_id=station_id)
    _, rules = checklists.for_station(session=session, adcode=station.adcode)
    posted = {k: v for k, v in form.items() if isinstance(v, str)}
    now = request.app.state.clock()
    try:
        content = await _photo(form)
        processed = await _process(content, settings) if content else None
        with session.begin_nested():
            data = InspectionCreate(
                answers={item.code: posted[f"item_{item.code}"] for item in rules.items
                         if posted.get(f"item_{item.code}")},
                notes={item.code: posted.get(f"note_{item.code}", "") for item in rules.items},
                open_at_visit=posted.get("open_at_visit") == "1", note=posted.get("note") or None)
            inspection = inspections.record(session=session, station_id=station_id, data=data, user=token.user,
                                            now=now)
    except (StationsError, ValidationError) as exc:
        message = exc.message if isinstance(exc, StationsError) else validation_message(exc)
        code = exc.status_code if isinstance(exc, StationsError) else 422
        return _inspect_page(request, token, session, station, status_code=code, error=message, posted=posted)
    if processed is not None:
        photos.add(session=session, station_id=station_id, photo=processed, kind=str(form.get("photo_kind") or
                   "other"), user=token.user, store=request.app.state.photo_store, now=now,
                   inspection_id=inspection.id)
    return RedirectResponse(f"/staff/stations/{station_id}/quality?inspected={inspection.id}", status_code=303)


async def _process(content: bytes, settings: Any) -> imaging.Processed:
    """Pillow's work in a worker thread: the event loop only awaits it."""
    return await asyncio.to_thread(imaging.process, content, limits(settings))


@router.get("/stations/{station_id}/quality", response_class=HTMLResponse)
def station_quality(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                    inspected: int = 0) -> Response:
    """A station's quality score term by term, its check dates, inspections, findings, rating and photos."""
    station = registry.get(session=session, station_id=station_id)
    score, parts = scoring.explain(session=session, station_id=station_id, now=request.app.state.clock()) or (0, [])
    return render(request, "staff/station_quality.html", token, station=station, score=score, parts=parts,
                  inspections=trust_queries.inspections_of(session=session, station_id=station_id),
                  findings=[inspections.finding_public(f)
                            for f in trust_queries.findings_of(session=session, station_id=station_id)],
                  rating=trust_queries.latest_rating(session=session, station_id=station_id),
                  photos=photos.of_station(session=session, station_id=station_id), kinds=photos.KINDS,
                  facts=facts.LABELS, may_inspect=_may_inspect(token.user, station.adcode),
                  notice=f"巡查 #{inspected} 已保存" if inspected else None)


def _may_inspect(user: Any, adcode: str) -> bool:
    try:
        auth.ensure_in_scope(auth.inspect_scope(user), adcode)
    except StationsError:
        return False
    return True


@router.post("/stations/{station_id}/photos")
async def upload_photo(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                       settings: SettingsDep) -> Response:
    """A photo from the station's quality page."""
    form = await request.form()
    auth.check_csrf(token=token, given=str(form.get("csrf_token") or ""))
    content = await _photo(form)
    if content is None:
        raise InvalidInput("请选择一张照片 (choose a photo)")
    processed = await _process(content, settings)
    photos.add(session=session, station_id=station_id, photo=processed, kind=str(form.get("kind") or "other"),
               user=token.user, store=request.app.state.photo_store, now=request.app.state.clock())
    return RedirectResponse(f"/staff/stations/{station_id}/quality", status_code=303)


@router.post("/stations/{station_id}/checks")
def confirm_facts(request: Request, station_id: StationId, token: PageLogin, session: SessionDep,
                  fact: Annotated[list[str], Form()], csrf_token: Annotated[str, Form()] = "") -> Response:
    """Facts checked on site and found right: today's check date on each."""
    auth.check_csrf(token=token, given=csrf_token)
    station = registry.get(session=session, station_id=station_id)
    auth.ensure_in_scope(auth.inspect_scope(token.user), station.adcode)
    facts.confirm(session=session, station_id=station_id, facts=fact, today=request.app.state.clock().date())
    scoring.refresh(session=session, now=request.app.state.clock(), ids=[station_id])
    return RedirectResponse(f"/staff/stations/{station_id}/quality", status_code=303)


@router.get("/quality", response_class=HTMLResponse)
def quality_queue(request: Request, token: PageLogin, session: SessionDep, done: int = 0) -> Response:
    """What needs someone on site: stations riders found closed during posted hours, and open findings."""
    region, now = token.user.region_prefix, request.app.state.clock()
    return render(request, "staff/quality.html", token,
                  flagged=checkins.flagged(session=session, region=region, now=now),
                  findings=trust_queries.open_findings(session=session, region=region, limit=200),
                  notice="已登记整改" if done else None)


@router.post("/findings/{finding_id}/fix")
def fix_finding(request: Request, finding_id: Annotated[int, Path(ge=1, le=2**63 - 1)], token: PageLogin,
                session: SessionDep, note: Annotated[str, Form(min_length=2, max_length=500)],
                csrf_token: Annotated[str, Form()] = "") -> Response:
    """Record how a finding was fixed."""
    auth.check_csrf(token=token, given=csrf_token)
    inspections.fix(session=session, finding_id=finding_id, note=note, user=token.user,
                    now=request.app.state.clock())
    return RedirectResponse("/staff/quality?done=1", status_code=303)


@router.get("/duplicates", response_class=HTMLResponse)
def duplicate_pairs(request: Request, token: PageLogin, session: SessionDep, done: str = "") -> Response:
    """Possible duplicates in the user's region, likely first."""
    count, pairs = duplicates.pairs(session=session, region=token.user.region_prefix)
    notice = {"merged": "已合并", "dismissed": "已标记为不同站点"}.get(done)
    return render(request, "staff/duplicates.html", token, pairs=pairs, count=count, notice=notice,
                  can_write=token.user.role.value in ("admin", "editor"))


@router.post("/duplicates/merge")
def merge(request: Request, token: PageLogin, session: SessionDep, survivor: Annotated[int, Form(ge=1)],
          other: Annotated[int, Form(ge=1)], csrf_token: Annotated[str, Form()] = "") -> Response:
    """Merge `other` into `survivor`."""
    auth.check_csrf(token=token, given=csrf_token)
    merging.merge(session=session, survivor_id=survivor, other_id=other, actor=token.user.username,
                  scope=auth.write_scope(token.user), now=request.app.state.clock())
    return RedirectResponse("/staff/duplicates?done=merged", status_code=303)


@router.post("/duplicates/dismiss")
def dismiss(token: PageLogin, session: SessionDep, a: Annotated[int, Form(ge=1)], b: Annotated[int, Form(ge=1)],
            csrf_token: Annotated[str, Form()] = "") -> Response:
    """Two different places: the pair leaves the list."""
    auth.check_csrf(token=token, given=csrf_token)
    duplicates.dismiss(session=session, a_id=a, b_id=b, actor=token.user.username,
                       scope=auth.write_scope(token.user))
    return RedirectResponse("/staff/duplicates?done=dismissed", status_code=303)
