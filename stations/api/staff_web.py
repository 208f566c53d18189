"""What the staff pages share: templates, Chinese labels, the login redirect and form parsing."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from stations.api.deps import LoginRequired
from stations.db.models import ChangeAction, Role, StaffToken, StaffUser
from stations.errors import InvalidHours, InvalidInput
from stations.geo.crs import Crs
from stations.geo.validation import parse_coordinate
from stations.hours import SHANGHAI, hours_in_words, parse_hours
from stations.reference import AMENITIES, KIND_LABELS, Kind, Status

ROLE_LABELS = {Role.ADMIN: "管理员", Role.EDITOR: "编辑", Role.INSPECTOR: "巡查员", Role.VIEWER: "只读"}
STATUS_LABELS = {Status.ACTIVE: "正常开放", Status.TEMPORARILY_CLOSED: "暂停开放", Status.CLOSED: "已关闭"}
ACTION_LABELS = {ChangeAction.CREATE: "登记", ChangeAction.UPDATE: "修改", ChangeAction.DELETE: "删除",
                 ChangeAction.RESTORE: "恢复"}
LEVEL_LABELS = {"error": "错误", "warning": "警告", "note": "提示"}
CRS_CHOICES = [("wgs84", "WGS-84（GPS、天地图）"), ("gcj02", "GCJ-02（高德、腾讯、微信）"), ("bd09", "BD-09（百度）")]
KIND_CHOICES = [(k.value, t.zh) for k, t in KIND_LABELS.items()]
STATUS_CHOICES = [(s.value, label) for s, label in STATUS_LABELS.items()]
TEXT_FIELDS = ("name", "address", "adcode", "hours", "self_service_hours", "phone", "manager_name", "host_unit")


def amenity_choices() -> list[tuple[str, str, str]]:
    """(code, Chinese label, kinds offering it) for every amenity, for checkboxes filtered by kind."""
    seen: dict[str, tuple[str, list[str]]] = {}
    for kind, terms in AMENITIES.items():
        for term in terms:
            seen.setdefault(term.code, (term.zh, []))[1].append(kind.value)
    return [(code, zh, " ".join(kinds)) for code, (zh, kinds) in seen.items()]


def hours_words(text: str | None) -> str:
    """Hours in words as riders read them on the map and the sign; "" for none or for hours that do not parse (a
    rejected form shown again)."""
    try:
        return hours_in_words(parse_hours(text).text) if text else ""
    except InvalidHours:
        return ""


@lru_cache(maxsize=4)
def templates(web_dir: Path) -> Jinja2Templates:
    """Jinja2 with autoescaping (names with markup are shown as text) and our label helpers."""
    env = Jinja2Templates(directory=str(web_dir / "templates"))
    env.env.globals.update(
        role_label=lambda u: ROLE_LABELS[u.role] + (f" {u.region_prefix}" if u.region_prefix else ""),
        kind_label=lambda k: KIND_LABELS[Kind(k)].zh, status_label=lambda s: STATUS_LABELS[Status(s)],
        action_label=lambda a: ACTION_LABELS[ChangeAction(a)], level_label=lambda v: LEVEL_LABELS.get(v, v),
        hours_words=hours_words, tz=SHANGHAI,
    )
    return env


def render(request: Request, name: str, token: StaffToken | None, *, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    """A staff page with the user and CSRF token in its context."""
    page = templates(request.app.state.settings.web_dir)
    user: StaffUser | None = token.user if token else None
    context = {"user": user, "csrf": token.csrf_token if token else "", "error": None, "notice": None, **context}
    return page.TemplateResponse(request, name, context, status_code=status_code)


async def to_login(request: Request, exc: Exception) -> RedirectResponse:
    """The reply to `LoginRequired`: the login form, coming back to the page asked for afterwards."""
    assert isinstance(exc, LoginRequired)
    return RedirectResponse(f"/staff/login?next={quote(exc.target)}", status_code=303)


def station_values(form: dict[str, Any]) -> dict[str, Any]:
    """Form fields as StationCreate/StationUpdate values (full-width digits folded, blanks dropped)."""
    values: dict[str, Any] = {f: str(form.get(f, "")).strip() or None for f in TEXT_FIELDS}
    values = {k: v for k, v in values.items() if v is not None or k == "self_service_hours"}
    values["kind"] = form.get("kind")
    values["status"] = form.get("status") or Status.ACTIVE.value
    values["amenities"] = list(form.get("amenities", []))
    values["sign_installed"] = form.get("sign_installed") == "1"
    values["crs"] = Crs(form.get("crs") or "wgs84")
    try:
        values["lon"] = parse_coordinate(str(form.get("lon", "")))
        values["lat"] = parse_coordinate(str(form.get("lat", "")))
    except InvalidInput as exc:
        raise InvalidInput(f"坐标：{exc.message}") from exc
    return values


def validation_message(exc: ValidationError) -> str:
    """A pydantic error as one line a clerk can act on."""
    return "；".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
