"""Staff pages: login, logout, region dashboard, station list, and the pin map's coordinate converter."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from stations import divisions
from stations.api.deps import STAFF_COOKIE, CurrentStaff, PageLogin, PageToken, SessionDep, SettingsDep
from stations.api.links import sign_notice
from stations.api.staff_web import KIND_CHOICES, STATUS_CHOICES, render
from stations.db.models import TokenKind
from stations.errors import StationsError
from stations.geo.crs import Crs, from_wgs84, to_wgs84
from stations.geo.validation import validate_lonlat
from stations.reference import KIND_LABELS, Kind, Provider
from stations.regions import PROVINCES
from stations.services import holidays
from stations.services.alerts import modes as alert_modes
from stations.services.coverage import planning
from stations.services.feedback import moderation
from stations.services.feeds import listings
from stations.services.registry import dashboard
from stations.services.registry import stations as registry
from stations.services.staff import auth

router = APIRouter(prefix="/staff", tags=["staff pages"], include_in_schema=False)
PAGE_ROWS = 200


def _safe_next(target: str) -> str:
    return target if target.startswith("/staff") and not target.startswith("//") else "/staff"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, token: PageToken, next: str = "/staff") -> Response:
    """The login form (or straight on when already logged in)."""
    if token is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "staff/login.html", None, next=_safe_next(next))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request, session: SessionDep, settings: SettingsDep, username: Annotated[str, Form()],
    password: Annotated[str, Form()], next: Annotated[str, Form()] = "/staff",
) -> Response:
    """Check the password (with back-off) and set the session cookie (HttpOnly, SameSite=Lax)."""
    user = auth.authenticate(session=session, settings=settings, username=username, password=password)
    if isinstance(user, StationsError):
        message = "用户名或密码错误" if user.status_code == 401 else f"登录次数过多，账号已暂时锁定（{user.message}）"
        return render(request, "staff/login.html", None, status_code=user.status_code, error=message,
                      next=_safe_next(next), username=username)
    raw, _ = auth.issue_token(session=session, settings=settings, user=user, kind=TokenKind.COOKIE)
    reply = RedirectResponse(_safe_next(next), status_code=303)
    reply.set_cookie(STAFF_COOKIE, raw, max_age=settings.staff_session_hours * 3600, httponly=True,
                     samesite="lax", secure=settings.cookie_secure, path="/")
    return reply


@router.post("/logout")
def logout(session: SessionDep, token: PageToken, csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the page login."""
    if token is not None:
        auth.check_csrf(token=token, given=csrf_token)
        session.delete(token)
    reply = RedirectResponse("/staff/login", status_code=303)
    reply.delete_cookie(STAFF_COOKIE, path="/")
    return reply


def _region_name(prefix: str) -> str:
    return f"{PROVINCES[prefix[:2]]} {prefix}" if prefix else "全国"


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, token: PageLogin, region: str | None = None) -> Response:
    """The region dashboard: stations by kind and status, signed, listed per map, open now."""
    prefix = region if region is not None and region.startswith(token.user.region_prefix) else token.user.region_prefix
    now, calendar = request.app.state.clock(), request.app.state.calendar.current
    stats = dashboard.region_stats(session=session, region=prefix, at=now, calendar=calendar)
    names = {"amap": "高德", "baidu": "百度", "tencent": "腾讯"}
    coverage = listings.stats(session=session, region=prefix.ljust(6, "0") if prefix else None)
    return render(
        request, "staff/dashboard.html", token, stats=stats, region_name=_region_name(prefix),
        kind_rows=[(KIND_LABELS[k].zh, stats.by_kind.get(k.value, 0)) for k in Kind],
        status_rows=[(label, stats.by_status.get(code, 0)) for code, label in STATUS_CHOICES],
        listed_rows=[(names[p.value], stats.listed.get(p.value, 0)) for p in Provider]
        + [("双上图", coverage.both_amap_baidu)],  # on both Amap and Baidu
        reports_open=moderation.open_count(session=session, region=prefix),
        calendar_notice=holidays.missing_schedule_notice(calendar, now.date()),
        freshness=dashboard.freshness(session=session, region=prefix, today=now.date()),
        sign_notice=sign_notice(request.app.state.settings),
        **alert_modes.dashboard_context(session=session, region=prefix, now=now),  # issue 24
        coverage=planning.coverage(session=session, region=prefix, level="county", hour=None, today=now.date(),
                                   retention_days=request.app.state.settings.demand_retention_days),  # issue 23
    )


@router.get("/stations", response_class=HTMLResponse)
def station_list(
    request: Request, session: SessionDep, token: PageLogin, q: str = "", kind: str = "", status: str = "",
    region: str = "", sort: str = "quality",
) -> Response:
    """Stations in the user's region with search (name, address, sign code) and filters; worst quality first
    (unscored first of all) unless sorted by sign code."""
    prefix = region.strip() if region.strip().startswith(token.user.region_prefix) else token.user.region_prefix
    count, rows = registry.search(session=session, prefix=prefix, words=q, kind=kind, status=status, limit=PAGE_ROWS,
                                  worst_first=sort != "code")
    return render(request, "staff/stations.html", token, rows=rows, count=count, q=q, kind=kind, status=status,
                  region=prefix, kinds=KIND_CHOICES, statuses=STATUS_CHOICES, sort=sort)


@router.get("/api/convert")
def convert(
    _: CurrentStaff, lon: float, lat: float, from_: Annotated[Crs, Query(alias="from")] = Crs.WGS84,
    to: Crs = Crs.WGS84,
) -> dict[str, float | str | None]:
    """Convert a point between WGS-84, GCJ-02 and BD-09 (for the pin map); 422 outside China. `adcode` and
    `division` name the county whose boundary holds the point (null where the boundary data has none), so the
    registration form fills the region code from the pin."""
    lon, lat = validate_lonlat(lon, lat, crs=from_)
    wgs = to_wgs84(lon, lat, from_)
    out_lon, out_lat = from_wgs84(*wgs, to)
    adcode = divisions.locate(*wgs)
    return {"lon": round(out_lon, 7), "lat": round(out_lat, 7), "adcode": adcode,
            "division": divisions.full_name(adcode) if adcode else None}
