"""Admin endpoints for API keys (staff admins; the CLI `stations keys` does the same from a shell)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field

from stations.api.deps import CurrentAdmin, SessionDep
from stations.schemas.types import INT8_MAX, JsonBody
from stations.services.feeds import apikeys

router = APIRouter(prefix="/api/v1/admin/api-keys", tags=["admin"])


class ApiKeyCreate(JsonBody):
    """A new key's holder and rate."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120)
    rate_per_minute: int = Field(default=600, ge=1, le=1_000_000)


class ApiKeyPublic(BaseModel):
    """A key as admins see it (never the token)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    prefix: str
    rate_per_minute: int
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    """A new key with its token, shown this once."""

    token: str


@router.post("", response_model=ApiKeyCreated, status_code=status.HTTP_201_CREATED)
def create_key(data: ApiKeyCreate, admin: CurrentAdmin, session: SessionDep) -> ApiKeyCreated:
    """Create a key; the token is in this reply only."""
    raw, key = apikeys.create(session=session, name=data.name, rate_per_minute=data.rate_per_minute)
    session.refresh(key)
    return ApiKeyCreated(**ApiKeyPublic.model_validate(key).model_dump(), token=raw)


@router.get("", response_model=list[ApiKeyPublic])
def list_keys(admin: CurrentAdmin, session: SessionDep) -> list[ApiKeyPublic]:
    """Every key, newest first."""
    return [ApiKeyPublic.model_validate(key) for key in apikeys.list_keys(session=session)]


@router.delete("/{key_id}", response_model=ApiKeyPublic)
def revoke_key(
    key_id: Annotated[int, Path(ge=1, le=INT8_MAX)], admin: CurrentAdmin, session: SessionDep
) -> ApiKeyPublic:
    """Revoke a key at once."""
    return ApiKeyPublic.model_validate(apikeys.revoke(session=session, key_id=key_id))
