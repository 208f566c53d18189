"""The incremental change feed for map providers and other systems."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from stations.api.deps import ReadRowsDep, SettingsDep
from stations.api.keys import api_client
from stations.api.links import public_base
from stations.hours import SHANGHAI
from stations.schemas.feed import FeedPage
from stations.services.feeds import feed as service

router = APIRouter(prefix="/api/v1/feed", dependencies=[Depends(api_client)], tags=["feed"])


@router.get("/changes", response_model=FeedPage)
async def changes(
    reads: ReadRowsDep,
    settings: SettingsDep,
    request: Request,
    since: Annotated[int, Query(ge=0, description="cursor: the `next_since` of the previous page, 0 = start")] = 0,
    limit: Annotated[int, Query(ge=1, le=service.MAX_LIMIT)] = service.DEFAULT_LIMIT,
    modified_since: Annotated[datetime | None, Query(description="only changes made at or after this time")] = None,
    events: Annotated[str, Query(pattern=r"^(station|alert)(,(station|alert))?$",
                                 description="event types, comma-separated: station (default), alert")] = "station",
) -> Response:
    """Every create, update, delete and restore after `since`, in commit order; deletions are tombstones. A page's
    ETag names the changes it holds (they never change), so `If-None-Match` gets a 304 until new ones come."""
    if modified_since is not None and modified_since.tzinfo is None:
        modified_since = modified_since.replace(tzinfo=SHANGHAI)  # a time without offset is China time
    result = await service.read_page(reads=reads, since=since, limit=limit, modified_since=modified_since,
                                     events=events.split(","))
    nxt = request.url.include_query_params(since=result.next_since)
    next_url = f"{public_base(settings)}{nxt.path}?{nxt.query}"  # the origin is ours, never the Host header
    headers = {"Link": f'<{next_url}>; rel="next"',
               "Cache-Control": "no-cache" if not result.has_more else "public, max-age=60",
               "ETag": f'"{since}-{result.next_since}-{result.count}-{int(result.has_more)}'
                       f'{"" if events == "station" else "-" + events}"',
               "Vary": "X-API-Key"}  # a shared cache keeps each key's pages apart
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(result.body, media_type="application/json", headers=headers)
