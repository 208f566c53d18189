"""Staff authentication: Argon2 passwords, login back-off, opaque tokens, and region-scope checks."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY
from sqlalchemy import delete
from sqlalchemy.orm import Session

from stations import divisions
from stations.db import staff_queries as queries
from stations.db.models import LoginThrottle, Role, StaffToken, StaffUser, TokenKind
from stations.errors import Forbidden, InvalidInput, StationsError, TooManyRequests, Unauthorized
from stations.schemas.staff import check_region_prefix
from stations.settings import Settings

BAD_LOGIN = "wrong username or password"
THROTTLE_DAYS = 30


@lru_cache(maxsize=2)
def password_hasher(cost: str = "default") -> PasswordHasher:
    """Argon2id with RFC 9106's low-memory profile, or the cheapest profile for test suites."""
    return PasswordHasher.from_parameters(CHEAPEST if cost == "test" else RFC_9106_LOW_MEMORY)


def hash_password(password: str, *, cost: str = "default") -> str:
    """The Argon2id hash of a password."""
    return password_hasher(cost).hash(password)


def verify_password(password_hash: str, password: str, *, cost: str = "default") -> bool:
    """True if the password matches the stored hash."""
    try:
        return password_hasher(cost).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _now() -> datetime:
    return datetime.now(UTC)


def authenticate(
    *, session: Session, settings: Settings, username: str, password: str
) -> StaffUser | StationsError:
    """The active user with these credentials, or the error to reply with.

    The error is returned, not raised, so the caller's transaction commits the failure count that drives the
    lockout (5 failures lock the name for 15 minutes, doubling on each repeat). Every path (unknown name,
    disabled account, locked name, wrong or right password) verifies exactly one Argon2 hash, and failures are
    counted per username whether or not an account has it: the reply and its timing do not tell who exists.
    """
    name = username[:64]
    user = queries.user_named(session=session, username=name, for_update=True)
    known = user is not None and user.is_active
    stored = user.password_hash if known and user is not None else _dummy_hash(settings.password_hash_cost)
    matches = verify_password(stored, password, cost=settings.password_hash_cost) and known
    throttle = _throttle(session=session, username=name)
    now = _now()
    if throttle.locked_until is not None and throttle.locked_until > now:
        return _locked(throttle.locked_until - now)
    if not matches or user is None:
        _count_failure(throttle=throttle, settings=settings, now=now)
        if user is not None:
            user.locked_until = throttle.locked_until  # what admins see on the account
        session.flush()
        return Unauthorized(BAD_LOGIN)
    session.delete(throttle)
    user.failed_logins, user.lockouts, user.locked_until, user.last_login_at = 0, 0, None, now
    if password_hasher(settings.password_hash_cost).check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password, cost=settings.password_hash_cost)
    return user


def _throttle(*, session: Session, username: str) -> LoginThrottle:
    """The username's throttle row, created if missing and row-locked (concurrent logins count in turn).

    Rows untouched for THROTTLE_DAYS and not locked are dropped on the way, so names tried once do not pile up.
    """
    return queries.locked_throttle(session=session, username=username, stale=_now() - timedelta(days=THROTTLE_DAYS))


def _locked(left: timedelta) -> TooManyRequests:
    seconds = max(1, int(left.total_seconds()))
    return TooManyRequests(
        f"too many failed logins: this username is locked, try again in {(seconds + 59) // 60} minutes",
        retry_after=seconds,
    )


def _count_failure(*, throttle: LoginThrottle, settings: Settings, now: datetime) -> None:
    throttle.failed_logins += 1
    throttle.updated_at = now
    if throttle.failed_logins >= settings.login_max_failures:
        minutes = settings.login_lockout_minutes * 2 ** min(throttle.lockouts, 6)
        throttle.locked_until = now + timedelta(minutes=minutes)
        throttle.lockouts += 1
        throttle.failed_logins = 0


@lru_cache(maxsize=2)
def _dummy_hash(cost: str) -> str:
    """A hash to verify against for unknown users, so response time does not tell who exists."""
    return hash_password(secrets.token_hex(8), cost=cost)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def issue_token(*, session: Session, settings: Settings, user: StaffUser, kind: TokenKind) -> tuple[str, StaffToken]:
    """A new random token for the user (API: minutes, cookie: a working day); only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    life = (
        timedelta(minutes=settings.api_token_minutes) if kind is TokenKind.API
        else timedelta(hours=settings.staff_session_hours)
    )
    csrf = secrets.token_urlsafe(24) if kind is TokenKind.COOKIE else None
    token = StaffToken(token_hash=_digest(raw), user=user, kind=kind, csrf_token=csrf, expires_at=_now() + life)
    session.add(token)
    session.flush()
    return raw, token


def resolve_token(*, session: Session, raw: str, kind: TokenKind) -> StaffToken:
    """The live token of an active user, or Unauthorized."""
    token = queries.token_by_hash(session=session, token_hash=_digest(raw))
    if token is None or token.kind is not kind or token.expires_at <= _now() or not token.user.is_active:
        raise Unauthorized("not logged in or the login has expired: log in again")
    return token


def revoke(*, session: Session, raw: str) -> None:
    """Forget a token (logout)."""
    session.execute(delete(StaffToken).where(StaffToken.token_hash == _digest(raw)))


def revoke_all(*, session: Session, user_id: int) -> None:
    """Forget every token of a user (disable, role change)."""
    session.execute(delete(StaffToken).where(StaffToken.user_id == user_id))


def check_csrf(*, token: StaffToken, given: str | None) -> None:
    """Forbidden unless the form or header echoes the session's CSRF token."""
    if not token.csrf_token or not given or not hmac.compare_digest(token.csrf_token, given):
        raise Forbidden("the form has expired or did not come from our page (CSRF check): reload and try again")


def read_region(user: StaffUser, region: str) -> str:
    """The region a staff view asks for (an adcode prefix), or the user's own when it asks for none; Forbidden
    outside the user's region, InvalidInput for a malformed prefix."""
    try:
        prefix = check_region_prefix(region) if region else user.region_prefix
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    if not prefix.startswith(user.region_prefix):
        raise Forbidden(f"region {prefix} is outside your region {user.region_prefix}")
    return prefix


def write_scope(user: StaffUser) -> str:
    """The region the user may write in ('' = everywhere); Forbidden for read-only roles."""
    if user.role is Role.ADMIN:
        return ""
    if user.role is Role.EDITOR and user.region_prefix:
        return divisions.region_prefix(user.region_prefix)
    raise Forbidden(f"account {user.username} is a {user.role.value} and may not change stations")


def inspect_scope(user: StaffUser) -> str:
    """The region the user may inspect in and fix findings of ('' = everywhere): admins, and editors and
    inspectors in their region; Forbidden for viewers."""
    if user.role is Role.ADMIN:
        return ""
    if user.role in (Role.EDITOR, Role.INSPECTOR) and user.region_prefix:
        return divisions.region_prefix(user.region_prefix)
    raise Forbidden(f"account {user.username} is a {user.role.value} and may not record inspections")


def ensure_in_scope(scope: str, adcode: str, *, what: str = "this station") -> None:
    """Forbidden if `adcode` lies outside the writer's region (a province, city or county; '' = everywhere)."""
    if not divisions.contains(scope, adcode):
        raise Forbidden(f"{what} is in region {adcode}, outside your region {scope}: ask that region's union")


def may_write(user: StaffUser, adcode: str) -> bool:
    """True if the user may change a station in this region (write_scope and ensure_in_scope would pass)."""
    try:
        ensure_in_scope(write_scope(user), adcode)
    except Forbidden:
        return False
    return True


def require_admin(user: StaffUser) -> None:
    """Forbidden unless the user is an admin."""
    if user.role is not Role.ADMIN:
        raise Forbidden("only an admin may manage staff accounts and roles")
