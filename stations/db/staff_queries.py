"""Reads of staff accounts, their tokens and login throttles, and of API keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session, joinedload

from stations.db.models import ApiKey, LoginThrottle, StaffToken, StaffUser
from stations.db.statements import StatementReads


def user_named(*, session: Session, username: str, for_update: bool = False) -> StaffUser | None:
    """The account with this username (row-locked if asked)."""
    query = select(StaffUser).where(StaffUser.username == username)
    return session.scalars(query.with_for_update() if for_update else query).one_or_none()


def users(*, session: Session) -> list[StaffUser]:
    """Every account, by username."""
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def locked_throttle(*, session: Session, username: str, stale: datetime) -> LoginThrottle:
    """A username's login throttle (known name or not), created if missing and row-locked (concurrent logins count
    in turn); rows untouched since `stale` and not locked are dropped on the way, so names tried once do not pile
    up."""
    session.execute(delete(LoginThrottle).where(
        LoginThrottle.updated_at < stale, or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < stale)
    ))
    session.execute(pg_insert(LoginThrottle).values(username=username).on_conflict_do_nothing())
    query = select(LoginThrottle).where(LoginThrottle.username == username).with_for_update()
    return session.scalars(query.execution_options(populate_existing=True)).one()


def token_by_hash(*, session: Session, token_hash: bytes) -> StaffToken | None:
    """The token with this hash, its account loaded."""
    query = select(StaffToken).where(StaffToken.token_hash == token_hash).options(joinedload(StaffToken.user))
    return session.scalars(query).one_or_none()


def api_keys(*, session: Session) -> Sequence[ApiKey]:
    """Every API key, newest first."""
    return session.scalars(select(ApiKey).order_by(ApiKey.id.desc())).all()


KEY_BY_HASH = select(ApiKey.id, ApiKey.prefix, ApiKey.rate_per_minute, ApiKey.revoked_at).where(
    ApiKey.key_hash == bindparam("key_hash"))


async def api_key_row(*, reads: StatementReads, key_hash: str) -> Mapping[str, Any] | None:
    """`id`, `prefix`, `rate_per_minute` and `revoked_at` of the API key with this hash (one prepared statement)."""
    rows = await reads(KEY_BY_HASH, {"key_hash": key_hash})
    return rows[0] if rows else None
