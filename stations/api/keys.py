"""The API-key dependency of feed and export routes: who is calling, and are they within their rate."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from stations.api.deps import PrimaryRowsDep, SettingsDep
from stations.api.ratelimit import RateLimiter
from stations.services.feeds import apikeys


async def api_client(
    request: Request,
    keys: PrimaryRowsDep,
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="your API key (stations keys add NAME)")] = None,
) -> apikeys.Caller | None:
    """The calling key (None when keys are not required and none is sent); 401 bad key, 429 over rate. The key is
    read on the primary (a revoked key stops at once) through the read pool: holding a session's connection here
    while the handler took another from the same pool deadlocked at pool_size concurrent requests."""
    if x_api_key is None and not settings.require_api_key:
        return None
    key = await apikeys.caller(reads=keys, raw=x_api_key)
    limiter: RateLimiter = request.app.state.key_limiter
    await run_in_threadpool(limiter.hit, key.id, capacity=key.rate_per_minute, per_second=key.rate_per_minute / 60,
                            refused=f"rate limit of {key.rate_per_minute} requests a minute reached for key "
                                    f"{key.prefix}…")
    return key


ApiClient = Annotated[apikeys.Caller | None, Depends(api_client)]
