"""Shared rate limits: token buckets in PostgreSQL, one statement per request, exact under concurrency."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, text

from stations.api.ratelimit import RateLimiter, limits_engine, prune
from stations.errors import TooManyRequests

SLOW = {"capacity": 3, "per_second": 1 / 3600}
"""Three tokens, refilling one an hour: nothing refills while a test runs."""


@pytest.fixture
def limits(database_url: str) -> Iterator[Engine]:
    """The limiter's own engine on the test database (autocommit, as the app's)."""
    engine = limits_engine(database_url, connect_timeout=5)
    yield engine
    engine.dispose()


def fresh() -> str:
    """A key no other test has used."""
    return uuid.uuid4().hex


def test_a_bucket_gives_its_capacity_then_says_how_long_to_wait(limits: Engine) -> None:
    limiter, key = RateLimiter(limits, namespace="key"), fresh()
    assert [limiter.take(key, **SLOW) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take(key, **SLOW)
    assert 3590 < wait <= 3600  # a whole token is an hour away, less the moments the takes took
    with pytest.raises(TooManyRequests) as refused:
        limiter.hit(key, **SLOW, refused="too many")
    assert refused.value.retry_after == 3600 and "try again in 3600 seconds" in refused.value.message


def test_keys_and_namespaces_are_independent(limits: Engine) -> None:
    reports, keys, key = RateLimiter(limits, namespace="report"), RateLimiter(limits, namespace="key"), fresh()
    assert [reports.take(key, **SLOW) for _ in range(3)] == [0.0] * 3
    assert reports.take(key, **SLOW) > 0
    assert keys.take(key, **SLOW) == 0.0 and reports.take(fresh(), **SLOW) == 0.0


def test_a_bucket_refills_at_its_rate(limits: Engine) -> None:
    limiter, key = RateLimiter(limits, namespace="key"), fresh()
    assert limiter.take(key, capacity=1, per_second=20) == 0.0
    time.sleep(0.06)  # more than the 0.05 s one token takes to come back
    assert limiter.take(key, capacity=1, per_second=20) == 0.0


def test_concurrent_takes_spend_each_token_once(limits: Engine, database_url: str) -> None:
    """Sixteen threads on two engines (two app processes' pools) ask 80 times for 25 tokens: exactly 25 are given."""
    other = limits_engine(database_url, connect_timeout=5)
    try:
        limiters = [RateLimiter(limits, namespace="key"), RateLimiter(other, namespace="key")]
        key = fresh()
        with ThreadPoolExecutor(max_workers=16) as pool:
            waits = list(pool.map(lambda n: limiters[n % 2].take(key, capacity=25, per_second=1 / 3600), range(80)))
    finally:
        other.dispose()
    assert waits.count(0.0) == 25 and all(wait > 0 for wait in waits if wait != 0.0)


def test_no_address_is_stored_only_a_salted_digest(limits: Engine, engine: Engine) -> None:
    address = "203.0.113.77"
    RateLimiter(limits, namespace="report").take(address, **SLOW)
    with engine.connect() as conn:
        keys = [bytes(row[0]) for row in conn.execute(text("SELECT key FROM rate_limits"))]
        dump = conn.execute(text("SELECT string_agg(t::text, ' ') FROM rate_limits AS t")).scalar_one()
    unsalted = hashlib.sha256(f"report:{address}".encode()).digest()
    assert address not in dump and unsalted not in keys and all(len(key) == 32 for key in keys)


def stored(engine: Engine, name: str) -> bool:
    """Whether the bucket of `name` (namespace:key) has a row."""
    with engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT EXISTS (SELECT 1 FROM rate_limits WHERE key = sha256((SELECT secret FROM rate_limit_secret) "
            "|| convert_to(:name, 'UTF8')))"), {"name": name}).scalar_one())


def test_buckets_that_refilled_are_pruned(limits: Engine, engine: Engine) -> None:
    limiter, slow, quick = RateLimiter(limits, namespace="key"), fresh(), fresh()
    limiter.take(slow, **SLOW)
    limiter.take(quick, capacity=2, per_second=50)  # full again 20 ms later
    assert stored(engine, f"key:{slow}") and stored(engine, f"key:{quick}")
    time.sleep(0.05)
    prune(limits)
    assert stored(engine, f"key:{slow}") and not stored(engine, f"key:{quick}")
