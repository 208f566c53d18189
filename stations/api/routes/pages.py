"""Pages a person looks at: the worker map (`/`), a sign's QR page (`/s/{sign_code}`) and its service worker."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from stations.api import security
from stations.api.deps import ReadRowsDep, ReadSessions, ReadSessionsDep, SettingsDep
from stations.services.pages import map_page
from stations.services.trust import merging
from stations.settings import Settings

router = APIRouter(tags=["pages"])
Lang = Annotated[Literal["zh", "en"], Query(description="page language; Chinese by default")]


def _page(html: str, *, settings: Settings, status_code: int = 200) -> HTMLResponse:
    headers = security.headers(security.map_policy(html=html, settings=settings)) | {"Cache-Control": "no-cache"}
    return HTMLResponse(html, status_code=status_code, headers=headers)


@router.get("/", response_class=HTMLResponse)
def index(settings: SettingsDep, lang: Lang = "zh") -> HTMLResponse:
    """The worker map: locate me, the nearest list, filters, details, navigate, report."""
    return _page(map_page.render(settings=settings, lang=lang), settings=settings)


@router.get("/s/{sign_code}", response_class=HTMLResponse)
async def sign_page(
    sign_code: Annotated[str, Path(max_length=32)], reads: ReadRowsDep, sessions: ReadSessionsDep,
    settings: SettingsDep, lang: Lang = "zh"
) -> HTMLResponse:
    """The page a sign's QR code opens: that station's details over the map (404 with the map if unknown; a merged
    station's code redirects to the survivor's page)."""
    focus = await map_page.focus_for_sign(reads=reads, sign_code=sign_code)
    if focus is None and (survivor := await run_in_threadpool(_survivor, sessions, sign_code)):
        return RedirectResponse(f"/s/{quote(survivor, safe='')}?lang={lang}", status_code=301)  # type: ignore[return-value]
    # Rendered in a worker thread: a station's first page builds its folium map, too long for the event loop.
    return await run_in_threadpool(_sign_page, settings, lang, focus, sign_code)


def _survivor(sessions: ReadSessions, sign_code: str) -> str | None:
    """The sign code a merged station's code redirects to (rare: read through a session, in a worker thread)."""
    with sessions() as session:
        return merging.redirect_for_sign(session=session, sign_code=sign_code)


def _sign_page(settings: Settings, lang: str, focus: map_page.Focus | None, sign_code: str) -> HTMLResponse:
    notice = None if focus else map_page.sign_not_found(settings=settings, lang=lang, sign_code=sign_code)
    html = map_page.render(settings=settings, lang=lang, focus=focus, notice=notice)
    return _page(html, settings=settings, status_code=200 if focus else 404)


@router.get("/sw.js", include_in_schema=False)
def service_worker(settings: SettingsDep) -> FileResponse:
    """The service worker, served from the root so its scope is the whole site."""
    return FileResponse(
        settings.web_dir / "static" / "sw.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"}
    )
