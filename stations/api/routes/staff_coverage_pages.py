"""The gap map staff page: unmet demand by hour, stations' 1 km circles, suggested sites and their export."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from stations.api.deps import PageLogin, SettingsDep
from stations.api.staff_web import render
from stations.geo.walking import COVERAGE_WALK_M_PER_MIN, REACH_M, TARGET_MINUTES
from stations.services.coverage.weekly import HOURS_OF_WEEK, hour_label

router = APIRouter(prefix="/staff", tags=["staff pages"], include_in_schema=False)


@router.get("/coverage", response_class=HTMLResponse)
def gap_map(request: Request, token: PageLogin, settings: SettingsDep, region: str = "") -> Response:
    """The gap map of the user's region (or a region inside it); the page reads /api/v1/coverage/*."""
    prefix = region.strip() if region.strip().startswith(token.user.region_prefix) else token.user.region_prefix
    return render(request, "staff/coverage.html", token, region=prefix, tile_url=settings.staff_tile_url,
                  hours=[(h, hour_label(h)) for h in range(HOURS_OF_WEEK)], reach_m=int(REACH_M),
                  minutes=TARGET_MINUTES, speed_kmh=round(COVERAGE_WALK_M_PER_MIN * 60 / 1000, 1))
