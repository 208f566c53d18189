"""API keys for feed and export clients: random tokens shown once, stored as SHA-256, revocable.

SHA-256 (not Argon2) is right here: the token has 256 random bits, so there is nothing to brute-force,
and a fast hash keeps per-request lookups cheap.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from stations.db import staff_queries as queries
from stations.db.models import ApiKey
from stations.db.statements import StatementReads
from stations.errors import NotFound, Unauthorized

TOKEN_PREFIX = "stk_"


def digest(raw: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create(*, session: Session, name: str, rate_per_minute: int = 600) -> tuple[str, ApiKey]:
    """A new key; the raw token is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(name=name, prefix=raw[:12], key_hash=digest(raw), rate_per_minute=rate_per_minute, scopes=["read"])
    session.add(key)
    session.flush()
    return raw, key


def list_keys(*, session: Session) -> list[ApiKey]:
    """Every key, newest first (revoked ones included, marked by revoked_at)."""
    return list(queries.api_keys(session=session))


def revoke(*, session: Session, key_id: int) -> ApiKey:
    """Revoke a key at once; NotFound if there is no such key."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"no API key with id {key_id}: `stations keys list` shows them")
    key.revoked_at = key.revoked_at or datetime.now(UTC)
    session.flush()
    return key


@dataclass(frozen=True)
class Caller:
    """What a request needs of its API key: which one, and its rate."""

    id: int
    prefix: str
    rate_per_minute: int


async def caller(*, reads: StatementReads, raw: str | None) -> Caller:
    """The live key for a presented token (feeds and exports), or Unauthorized saying what to send: one prepared
    statement on the primary's read pool, no ORM object, no worker thread."""
    row = await queries.api_key_row(reads=reads, key_hash=_presented(raw))
    if row is None or row["revoked_at"] is not None:
        raise Unauthorized(UNKNOWN)
    return Caller(row["id"], row["prefix"], row["rate_per_minute"])


UNKNOWN = "this API key is unknown or revoked: ask an admin for a new one"


def _presented(raw: str | None) -> str:
    """The stored form of the token sent, or Unauthorized saying what to send."""
    if not raw:
        raise Unauthorized("send your API key in the X-API-Key header (ask an admin: `stations keys add NAME`)")
    return digest(raw.strip())
