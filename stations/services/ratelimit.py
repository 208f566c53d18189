"""An in-process sliding-window rate limiter (one machine; several instances need a shared store)."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from stations.errors import TooManyRequests


class RateLimiter:
    """At most `limit` hits per `window_s` seconds per key; memory is bounded by pruning idle keys.

    The counts live in this process only: behind a load balancer each instance counts on its own, so
    the effective limit is `limit` times the number of instances. Good enough for one machine serving
    a province; a shared store (Redis, PostgreSQL) is the step after that.
    """

    def __init__(self, *, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._last_prune = clock()

    def hit(self, *, key: str) -> None:
        """Count one hit for `key`, or raise TooManyRequests with Retry-After when over the limit."""
        now = self._clock()
        with self._lock:
            self._prune(now)
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                retry = max(1, math.ceil(hits[0] + self.window_s - now))
                error = TooManyRequests(f"too many reports from this device: try again in {retry} seconds")
                error.headers = {"Retry-After": str(retry)}
                raise error
            hits.append(now)

    def _prune(self, now: float) -> None:
        if now - self._last_prune < self.window_s:
            return
        self._last_prune = now
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window_s]:
            del self._hits[key]
