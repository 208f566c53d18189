"""SQL of the shared rate limits: one statement takes a token from a bucket, whichever app process runs it.

A bucket holds up to `capacity` tokens and refills at `per_second`; a request spends one. `TAKE` inserts a full
bucket less one token, or, when the key has a row, refills it by the time since its last update and spends a token
if there is a whole one. ON CONFLICT DO UPDATE locks the row and evaluates the SET list on its latest version, so
concurrent takes of one key queue on that row and none is lost; it runs in autocommit, so the lock lasts the
statement alone. `now()` is the server's clock, the same for every app process.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_REFILLED = ("least(CAST(:capacity AS float8), bucket.tokens"
             " + greatest(0, extract(epoch FROM now() - bucket.updated_at)) * CAST(:per_second AS float8))")
_KEY = "sha256((SELECT secret FROM rate_limit_secret WHERE id = 1) || convert_to(:key, 'UTF8'))"

TAKE = text(
    f"""
    INSERT INTO rate_limits AS bucket (key, tokens, taken, updated_at, expires_at)
    VALUES ({_KEY}, CAST(:capacity AS float8) - 1, true, now(),
            now() + make_interval(secs => 1 / CAST(:per_second AS float8)))
    ON CONFLICT (key) DO UPDATE SET
        tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,
        taken = {_REFILLED} >= 1,
        updated_at = now(),
        expires_at = now() + make_interval(
            secs => (CAST(:capacity AS float8) - CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END)
                    / CAST(:per_second AS float8))
    RETURNING tokens, taken
    """
)
"""(tokens left, whether one was taken). `expires_at` is when the bucket is full again: a row past it is the same as
no row, so `PRUNE` may delete it."""

PRUNE = text("DELETE FROM rate_limits WHERE expires_at < now()")


def take(*, connection: Connection, key: str, capacity: float, per_second: float) -> tuple[float, bool]:
    """Spend a token of `key`'s bucket if it has one: (tokens left, taken)."""
    tokens, taken = connection.execute(TAKE, {"key": key, "capacity": capacity, "per_second": per_second}).one()
    return float(tokens), bool(taken)


def prune(*, connection: Connection) -> int:
    """Delete the buckets that have refilled; how many."""
    return int(connection.execute(PRUNE).rowcount)
