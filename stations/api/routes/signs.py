"""Unified sign plates: one station as SVG or PDF, and a region's plates as one PDF for printing."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Response

from stations.api.deps import CurrentStaff, SessionDep, SettingsDep
from stations.api.links import sign_base
from stations.errors import InvalidInput, NotFound
from stations.schemas.staff import check_region_prefix
from stations.services.pages import signage
from stations.services.registry import stations as service

router = APIRouter(tags=["signs"])
MAX_BATCH = 2000


def sign_url(base: str, code: str) -> str:
    """The absolute URL a sign's QR code opens: the station's page /s/{code} under the public https origin."""
    return f"{base}/s/{quote(code, safe='')}"


@router.get("/api/v1/stations/{station_id}/sign.svg")
def sign_svg(station_id: Annotated[int, Path(ge=1, le=2**63 - 1)], session: SessionDep,
             settings: SettingsDep) -> Response:
    """The station's sign plate as SVG (kind, name, six-promise icons, hours in words, QR code, sign code); 409
    until a public https address is configured."""
    base = sign_base(settings)
    station = service.get(session=session, station_id=station_id)
    svg = signage.render_svg(station, url=sign_url(base, station.sign_code))
    return Response(svg, media_type="image/svg+xml", headers={"ETag": f'"{station.version}"'})


@router.get("/api/v1/stations/{station_id}/sign.pdf")
def sign_pdf(station_id: Annotated[int, Path(ge=1, le=2**63 - 1)], session: SessionDep,
             settings: SettingsDep) -> Response:
    """The station's sign plate as a one-page A4 PDF with embedded CJK font; 409 until a public https address is
    configured."""
    base = sign_base(settings)
    station = service.get(session=session, station_id=station_id)
    pdf = signage.render_pdf([(station, sign_url(base, station.sign_code))])
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{station.sign_code}.pdf"'})


@router.get("/api/v1/signs.pdf")
def region_signs(
    region: Annotated[str, Query(description="adcode prefix: 62, 6201 or 620102")],
    _: CurrentStaff, session: SessionDep, settings: SettingsDep,
    kind: Annotated[str | None, Query(description="only this kind")] = None,
) -> Response:
    """Every live station's plate in a region as one PDF, by sign code (staff only; at most 2,000); 409 until a
    public https address is configured."""
    base = sign_base(settings)
    try:
        prefix = check_region_prefix(region)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    found = service.in_region(session=session, prefix=prefix, kind=kind, limit=MAX_BATCH + 1)
    if not found:
        raise NotFound(f"no stations in region {prefix}")
    if len(found) > MAX_BATCH:
        raise InvalidInput(f"more than {MAX_BATCH} stations in {prefix}: print a smaller region (a city or county)")
    pdf = signage.render_pdf([(s, sign_url(base, s.sign_code)) for s in found])
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="signs-{prefix}.pdf"'})
