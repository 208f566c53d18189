"""Typed dependencies so route signatures read as prose."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from stations.db.models import StaffToken, StaffUser, TokenKind
from stations.errors import Unauthorized
from stations.services import auth
from stations.settings import Settings


def get_session(request: Request) -> Iterator[Session]:
    """A session in one transaction: committed when the handler succeeds, rolled back otherwise."""
    with request.app.state.session_factory() as session, session.begin():
        yield session


def get_stream_session(request: Request) -> Iterator[Session]:
    """A read session that lives until a streamed body has been sent (see StreamSessionDep)."""
    yield from get_session(request)


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


# Function scope: the transaction commits before the reply goes out, so a reply that says "stored"
# (200, 201, 303) is true, a client reading at once sees the write, and a failed commit is an error reply.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
# Request scope: the session outlives the handler until a StreamingResponse body is sent (exports).
StreamSessionDep = Annotated[Session, Depends(get_stream_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

# --- staff (issue 5): who is calling, from a bearer token (API) or the staff cookie (pages) ---

STAFF_COOKIE = "stations_staff"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def current_token(
    request: Request, session: SessionDep, bearer: Annotated[str | None, Depends(_bearer)]
) -> StaffToken:
    """The caller's live token; cookie callers must echo the CSRF token on writes (X-CSRF-Token)."""
    if bearer:
        return auth.resolve_token(session=session, raw=bearer, kind=TokenKind.API)
    cookie = request.cookies.get(STAFF_COOKIE)
    if not cookie:
        raise Unauthorized("log in first: POST /api/v1/auth/token (OAuth2 password flow) or the staff login page")
    token = auth.resolve_token(session=session, raw=cookie, kind=TokenKind.COOKIE)
    if request.method not in SAFE_METHODS:
        auth.check_csrf(token=token, given=request.headers.get("x-csrf-token"))
    return token


def current_staff(token: Annotated[StaffToken, Depends(current_token)]) -> StaffUser:
    """The logged-in staff account."""
    return token.user


def current_admin(user: Annotated[StaffUser, Depends(current_staff)]) -> StaffUser:
    """The logged-in account, which must be an admin."""
    auth.require_admin(user)
    return user


def page_token(request: Request, session: SessionDep) -> StaffToken | None:
    """The staff page login from the cookie, or None (pages redirect to the login form)."""
    cookie = request.cookies.get(STAFF_COOKIE)
    if not cookie:
        return None
    try:
        return auth.resolve_token(session=session, raw=cookie, kind=TokenKind.COOKIE)
    except Unauthorized:
        return None


CurrentToken = Annotated[StaffToken, Depends(current_token)]
CurrentStaff = Annotated[StaffUser, Depends(current_staff)]
CurrentAdmin = Annotated[StaffUser, Depends(current_admin)]
PageToken = Annotated[StaffToken | None, Depends(page_token)]
