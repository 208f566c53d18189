"""The API-key dependency of feed and export routes: who is calling, and are they within their rate."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from stations.api.deps import SessionsDep, SettingsDep
from stations.api.ratelimit import RateLimiter
from stations.db.models import ApiKey
from stations.services.feeds import apikeys


def api_client(
    request: Request,
    sessions: SessionsDep,
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="your API key (stations keys add NAME)")] = None,
) -> ApiKey | None:
    """The calling key (None when keys are not required and none is sent); 401 bad key, 429 over rate."""
    if x_api_key is None and not settings.require_api_key:
        return None
    with sessions() as session:  # closed before the handler: it takes a read connection from the same pool
        key = apikeys.resolve(session=session, raw=x_api_key)
    limiter: RateLimiter = request.app.state.key_limiter
    limiter.hit(key.id, capacity=key.rate_per_minute, per_second=key.rate_per_minute / 60,
                refused=f"rate limit of {key.rate_per_minute} requests a minute reached for key {key.prefix}…")
    return key


ApiClient = Annotated[ApiKey | None, Depends(api_client)]
