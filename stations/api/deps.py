"""Typed dependencies so route signatures read as prose."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from functools import partial
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from stations.db.models import StaffToken, StaffUser, TokenKind
from stations.db.statements import StatementReads
from stations.errors import BadRequest, InvalidInput, PreconditionRequired, Unauthorized
from stations.schemas.types import INT4_MAX, control_character
from stations.services.staff import auth
from stations.settings import Settings

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
ReadSessions = Callable[[], AbstractContextManager[Session]]
STAFF_COOKIE = "stations_staff"


async def refuse_control_characters(request: Request) -> None:
    """Every route's first dependency: NUL and other control characters in a path or query parameter, a form
    field or an uploaded file's name are a 422 naming the parameter (form fields may hold tabs and line breaks,
    as a text box sends them). JSON bodies are checked by their schemas (`schemas.types.JsonBody`)."""
    for where, params in (("path", request.path_params.items()), ("query", request.query_params.multi_items())):
        for name, value in params:
            _refuse(f"{where} parameter {name!r}", f"{name}{value}", free_text=False)
    if request.headers.get("content-type", "").startswith(_FORMS):
        for name, value in (await request.form()).multi_items():
            if isinstance(value, UploadFile):
                _refuse(f"the name of file {name!r}", f"{name}{value.filename or ''}", free_text=False)
            else:
                _refuse(f"form field {name!r}", value, free_text=True)
                _refuse("a form field name", name, free_text=False)


def _refuse(what: str, text: str, *, free_text: bool) -> None:
    if found := control_character(text, free_text=free_text):
        raise InvalidInput(f"{what} must not contain control characters (found {found})")


def get_session(request: Request) -> Iterator[Session]:
    """A session in one transaction: committed when the handler succeeds, rolled back otherwise."""
    with request.app.state.session_factory() as session, session.begin():
        yield session


def get_stream_session(request: Request) -> Iterator[Session]:
    """A read session that lives until a streamed body has been sent (see StreamSessionDep)."""
    yield from get_session(request)


def get_read_session(request: Request) -> Iterator[Session]:
    """A read-only session for riders and map clients, on a replica that is up and keeping up (`db.replicas`); a
    caller with a staff login (bearer token or page cookie) reads the primary first, so a clerk sees their own
    writes at once. Any source that answers serves: with the primary down, replicas still do."""
    with _read_sessions(request)() as session:
        yield session


async def get_read_sessions(request: Request) -> ReadSessions:
    """`get_read_session`'s session, opened by the handler (`with sessions() as session:`) in its own worker thread.
    FastAPI runs a sync dependency's enter and exit in two more thread hops than the handler's; the station pages
    (what a sign's QR code opens) and OGC items take this one."""
    return _read_sessions(request)


async def get_read_rows(request: Request) -> StatementReads:
    """Rows of one statement through the read pools (`ReadRoute.rows`): a prepared statement on the event loop, no
    worker thread, for the single-statement reads a sign's QR code makes (station pages). Sources as
    `get_read_session` picks them, staff first on the primary."""
    return partial(request.app.state.reads.rows, primary_first=_staff(request))


async def get_primary_rows(request: Request) -> StatementReads:
    """`get_read_rows` on the primary first, for everybody: what must be current (an API key just revoked)."""
    return partial(request.app.state.reads.rows, primary_first=True)


def _read_sessions(request: Request) -> ReadSessions:
    return partial(request.app.state.reads.session, primary_first=_staff(request))


def _staff(request: Request) -> bool:
    return bool(request.headers.get("authorization") or request.cookies.get(STAFF_COOKIE))


def get_read_stream_session(request: Request) -> Iterator[Session]:
    """`get_read_session` for a streamed body (see ReadStreamSessionDep)."""
    yield from get_read_session(request)


async def get_settings(request: Request) -> Settings:  # async: a sync dependency costs a thread hop
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


# Function scope: the transaction commits before the reply goes out, so a reply that says "stored"
# (200, 201, 303) is true, a client reading at once sees the write, and a failed commit is an error reply.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
# Request scope: the session outlives the handler until a StreamingResponse body is sent (exports).
StreamSessionDep = Annotated[Session, Depends(get_stream_session)]
# Reads that may come from a replica (db.replicas): the map's, the feeds', a station's public page.
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
ReadStreamSessionDep = Annotated[Session, Depends(get_read_stream_session)]
# A read session the handler opens itself (fewer thread hops): `with sessions() as session:`.
ReadSessionsDep = Annotated[ReadSessions, Depends(get_read_sessions)]
# One statement's rows, awaited (`rows = await reads(STATEMENT, params)`).
ReadRowsDep = Annotated[StatementReads, Depends(get_read_rows)]
PrimaryRowsDep = Annotated[StatementReads, Depends(get_primary_rows)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

# --- staff (issue 5): who is calling, from a bearer token (API) or the staff cookie (pages) ---

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


class LoginRequired(Exception):
    """A staff page asked for without a live page login: answered with a redirect to the login form."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def page_login(request: Request, token: Annotated[StaffToken | None, Depends(page_token)]) -> StaffToken:
    """The page login, or `LoginRequired` (the login form, coming back to this page afterwards)."""
    if token is None:
        raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return token


CurrentToken = Annotated[StaffToken, Depends(current_token)]
CurrentStaff = Annotated[StaffUser, Depends(current_staff)]
CurrentAdmin = Annotated[StaffUser, Depends(current_admin)]
PageToken = Annotated[StaffToken | None, Depends(page_token)]
PageLogin = Annotated[StaffToken, Depends(page_login)]


# --- Idempotency-Key on a rider's taps (reports, check-ins): a resend from the offline queue is answered once ---

TapKeyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", pattern=r"^[A-Za-z0-9_-]{16,64}$",
    description="a random key the phone draws for one tap (16-64 letters, digits, - or _): sent again with the same "
                "key, the tap is not stored twice and the reply is the first one's")]


# --- If-Match (RFC 9110 section 13.1.1) on station writes ---

IfMatchHeader = Annotated[str | None, Header(
    alias="If-Match", description='the ETag of the version you edit, as GET /api/v1/stations/{id} sent it: "3"')]
NEVER_MATCHES = 0
"""What `if_match_version` returns for tags that name no version of ours (versions start at 1): the service then
answers 412 with the current version, after its 404 and 403, as RFC 9110 section 13.2.1 orders."""
_ENTITY_TAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*(?:,|$)')
_VERSION_TAG = re.compile(r"[1-9][0-9]{0,9}")  # what we send: ASCII digits, no leading zero, within integer


def if_match_version(value: str | None, *, required: bool) -> int | None:
    """The station version an If-Match header names; None when it names none and none is required.

    - absent or blank: 428 when required (a write must say which version it changes);
    - `*`: true for any station that exists, so no version check; 428 when required, since it names none;
    - not a list of entity tags (`3`, `"3`, text with spaces or control characters): 400, malformed;
    - entity tags (`"3"`, `W/"3"`, `"²"`, 5,000 digits): compared strongly, as If-Match must be; our ETags are
      strong `"<version>"`, so a weak tag or anything else matches no version (`NEVER_MATCHES`, a 412 with the
      current version), not a 400 or 422: the syntax is valid, the condition is false;
    - several tags that could be versions: 400 (valid HTTP, but a client has read one version: send that one).
    """
    text = (value or "").strip(" \t")
    if not text:
        if required:
            raise PreconditionRequired(
                'send If-Match with the ETag from GET /api/v1/stations/{id} (e.g. If-Match: "3") '
                "so nobody's change is overwritten silently")
        return None
    if text == "*":
        if required:
            raise PreconditionRequired('If-Match: * names no version; send the ETag you read, e.g. If-Match: "3"')
        return None
    tags = _entity_tags(text)
    versions = {int(tag) for weak, tag in tags if not weak and _VERSION_TAG.fullmatch(tag) and int(tag) <= INT4_MAX}
    if len(versions) > 1:
        raise BadRequest(f"If-Match names {len(versions)} versions; send the one ETag you read, e.g. If-Match: \"3\"")
    return versions.pop() if versions else NEVER_MATCHES


def _entity_tags(text: str) -> list[tuple[str | None, str]]:
    """(weak marker, opaque tag) of each entity tag in a comma-separated If-Match value, or 400 when malformed."""
    tags: list[tuple[str | None, str]] = []
    position = 0
    while position < len(text):
        found = _ENTITY_TAG.match(text, position)
        if not found:
            raise BadRequest(f'If-Match must be an ETag in double quotes such as "3", got {text[:40]!r}')
        tags.append((found.group(1), found.group(2)))
        position = found.end()
    return tags
