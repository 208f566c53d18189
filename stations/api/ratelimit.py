"""In-process token buckets: worker reports per device, feed and export requests per API key.

Good for one machine: the counts live in this process, so behind a load balancer (or with several
workers) each instance counts on its own and a client gets up to N times its rate. A shared store
(Redis, PostgreSQL) or limiting at the proxy is the step after that.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable

from stations.errors import TooManyRequests

IDLE_PRUNE_S = 3600.0


class RateLimiter:
    """Per-key buckets of `capacity` tokens refilling at `per_second`; one token per request."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._state: dict[Hashable, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._last_prune = clock()

    def take(self, key: Hashable, *, capacity: float, per_second: float) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until one is available."""
        with self._lock:
            now = self._clock()
            self._prune(now)
            tokens, last = self._state.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * per_second)
            if tokens >= 1.0:
                self._state[key] = (tokens - 1.0, now)
                return 0.0
            self._state[key] = (tokens, now)
            return (1.0 - tokens) / per_second

    def hit(self, key: Hashable, *, capacity: float, per_second: float, refused: str) -> None:
        """Spend one token or raise TooManyRequests ("<refused>: try again in N seconds", Retry-After)."""
        wait = self.take(key, capacity=capacity, per_second=per_second)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            raise TooManyRequests(f"{refused}: try again in {retry} seconds", retry_after=retry)

    def _prune(self, now: float) -> None:
        """Forget keys idle for an hour (a full bucket is the same as no entry), bounding memory."""
        if now - self._last_prune < IDLE_PRUNE_S:
            return
        self._last_prune = now
        for key in [k for k, (_, last) in self._state.items() if now - last > IDLE_PRUNE_S]:
            del self._state[key]
