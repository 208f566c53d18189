"""Pages a person looks at (the worker map arrives in its own issue; this is its placeholder)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select

from stations.api.deps import SessionDep, SettingsDep
from stations.db.models import Station

router = APIRouter(tags=["pages"])


@router.get("/", response_class=HTMLResponse)
def index(session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    """The worker map page (placeholder: says how many points are registered)."""
    count = session.scalar(select(func.count()).select_from(Station).where(Station.deleted_at.is_(None)))
    template = (settings.web_dir / "templates" / "placeholder.html").read_text(encoding="utf-8")
    return HTMLResponse(template.replace("{{count}}", str(count or 0)))
