"""Staff login (OAuth2 password flow) and account management under /api/v1/auth and /api/v1/staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm

from stations.api.deps import CurrentAdmin, CurrentStaff, CurrentToken, SessionDep, SettingsDep
from stations.api.errors import error_response
from stations.db.models import TokenKind
from stations.errors import StationsError
from stations.schemas.staff import StaffUserCreate, StaffUserPublic, StaffUsersPublic, StaffUserUpdate, Token
from stations.services.staff import auth, users

router = APIRouter(tags=["staff"])


@router.post("/api/v1/auth/token", response_model=Token)
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep
) -> Token | JSONResponse:
    """Exchange username and password for a short-lived opaque bearer token (401/429 on failure)."""
    user = auth.authenticate(session=session, settings=settings, username=form.username, password=form.password)
    if isinstance(user, StationsError):
        return error_response(user)  # returned, not raised: the failure count must be committed
    raw, _ = auth.issue_token(session=session, settings=settings, user=user, kind=TokenKind.API)
    return Token(access_token=raw, expires_in=settings.api_token_minutes * 60)


@router.post("/api/v1/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(token: CurrentToken, session: SessionDep) -> Response:
    """End this login at once."""
    session.delete(token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/api/v1/auth/me", response_model=StaffUserPublic)
def me(user: CurrentStaff) -> StaffUserPublic:
    """The logged-in account with its role and region."""
    return StaffUserPublic.model_validate(user)


@router.get("/api/v1/staff/users", response_model=StaffUsersPublic)
def list_users(_: CurrentAdmin, session: SessionDep) -> StaffUsersPublic:
    """Every staff account (admin only)."""
    found = users.list_all(session=session)
    return StaffUsersPublic(data=[StaffUserPublic.model_validate(u) for u in found], count=len(found))


@router.post("/api/v1/staff/users", response_model=StaffUserPublic, status_code=status.HTTP_201_CREATED)
def create_user(
    data: StaffUserCreate, _: CurrentAdmin, session: SessionDep, settings: SettingsDep
) -> StaffUserPublic:
    """Create an account (admin only)."""
    return StaffUserPublic.model_validate(
        users.create(session=session, data=data, cost=settings.password_hash_cost)
    )


@router.patch("/api/v1/staff/users/{user_id}", response_model=StaffUserPublic)
def update_user(
    user_id: Annotated[int, Path(ge=1)], data: StaffUserUpdate, actor: CurrentStaff, session: SessionDep,
    settings: SettingsDep,
) -> StaffUserPublic:
    """Change an account's role, region, name, password or active flag (admin only, 403 otherwise)."""
    auth.require_admin(actor)
    user = users.get(session=session, user_id=user_id)
    return StaffUserPublic.model_validate(
        users.update(session=session, actor=actor, user=user, data=data, cost=settings.password_hash_cost)
    )
