"""The API-key dependency of feed and export routes: who is calling, and are they within their rate."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Header, Request

from stations.api.deps import SessionDep, SettingsDep
from stations.db.models import ApiKey
from stations.errors import TooManyRequests
from stations.services import apikeys
from stations.services.apikey_buckets import TokenBuckets


def _buckets(request: Request) -> TokenBuckets:
    buckets: TokenBuckets | None = getattr(request.app.state, "rate_buckets", None)
    if buckets is None:
        buckets = request.app.state.rate_buckets = TokenBuckets()
    return buckets


def api_client(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="your API key (stations keys add NAME)")] = None,
) -> ApiKey | None:
    """The calling key (None when keys are not required and none is sent); 401 bad key, 429 over rate."""
    if x_api_key is None and not settings.require_api_key:
        return None
    key = apikeys.resolve(session=session, raw=x_api_key)
    wait = _buckets(request).take(key.id, key.rate_per_minute)
    if wait > 0:
        error = TooManyRequests(
            f"rate limit of {key.rate_per_minute} requests a minute reached for key {key.prefix}…; "
            f"retry in {math.ceil(wait)} s"
        )
        error.headers = {"Retry-After": str(math.ceil(wait))}
        raise error
    return key


ApiClient = Annotated[ApiKey | None, Depends(api_client)]
