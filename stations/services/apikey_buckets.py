"""Per-API-key token buckets, in process memory (each key has its own rate, unlike ratelimit.RateLimiter).

Good for one machine: the limit is per process, so with N workers or replicas a key gets up to N times
its rate. Behind a load balancer, move the buckets to a shared store or rate-limit at the proxy.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBuckets:
    """Buckets of `rate_per_minute` tokens that refill continuously; one token per request."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._state: dict[int, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def take(self, key: int, rate_per_minute: int) -> float:
        """Spend one token: 0.0 when allowed, else the seconds until one is available."""
        per_second = rate_per_minute / 60.0
        with self._lock:
            now = self._clock()
            tokens, last = self._state.get(key, (float(rate_per_minute), now))
            tokens = min(float(rate_per_minute), tokens + (now - last) * per_second)
            if tokens >= 1.0:
                self._state[key] = (tokens - 1.0, now)
                return 0.0
            self._state[key] = (tokens, now)
            return (1.0 - tokens) / per_second
