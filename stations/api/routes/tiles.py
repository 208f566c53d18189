"""Vector tiles at /tiles/{z}/{x}/{y}.mvt with ETag revalidation and cache headers for CDNs."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from stations.api.deps import ReadSessionsDep, SettingsDep
from stations.services.feeds import tiles as service
from stations.services.feeds.tile_cache import Tile

router = APIRouter(tags=["tiles"])
MVT = "application/vnd.mapbox-vector-tile"


@router.get("/tiles/{z}/{x}/{y}.mvt", response_class=Response, responses={200: {"content": {MVT: {}}}})
def vector_tile(z: str, x: str, y: str, request: Request, sessions: ReadSessionsDep, settings: SettingsDep) -> Response:
    """Below z10, layer `clusters` (`count`, one point per 1/64 of the tile's width). From z10, layer `stations` (the
    station id as feature id; kind, name, sign_code, status) with every station of the tile while it holds at most
    800; a denser tile carries its crowded grid cells as `clusters` (`count`) and its sparse ones as `stations`, so it
    stays under 100 KB: cluster counts plus station features = the stations of the tile. 204 when empty, 304 when
    unchanged. Each process reuses a tile it made for a few seconds (`STATIONS_TILE_SERVER_CACHE_SECONDS`)."""
    zi, xi, yi = service.parse_tile(z=z, x=x, y=y)

    def make() -> Tile:
        with sessions() as session:
            data = service.tile(session=session, z=zi, x=xi, y=yi)
        return data, service.etag(data)  # hashed once per tile made, not per request

    data, tag = request.app.state.tile_cache.get_or_make((zi, xi, yi), make)  # tile_cache.py says why
    headers = {"Cache-Control": f"public, max-age={settings.tile_cache_seconds}", "ETag": tag}
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if not data:
        return Response(status_code=204, headers=headers)
    return Response(content=data, media_type=MVT, headers=headers)
