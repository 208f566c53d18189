"""Tiles made in the last few seconds, per process: the same tile is asked for by every phone on the same part of the
map (there are ~4,000 tiles over China at z9 and fewer below), and a tile already says `public, max-age` of
`tile_cache_seconds` (300 by default) to every cache between us and the phone, so holding it here a few seconds
(`tile_server_cache_seconds`, 0 = off) serves nothing staler than those caches may. A held tile costs no database
round trip; at most `size` are held, the least recently used dropped first.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

Key = tuple[int, int, int]
Tile = tuple[bytes, str]
"""A tile's bytes and its ETag."""


class TileCache:
    """Tiles (bytes and ETag) by (z, x, y), each for `seconds` from when it was made."""

    def __init__(self, *, seconds: float, size: int = 4096, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds, self.size, self._clock = seconds, size, clock
        self._held: OrderedDict[Key, tuple[float, Tile]] = OrderedDict()
        self._lock = threading.Lock()  # sync routes run in a thread pool

    def get_or_make(self, key: Key, make: Callable[[], Tile]) -> Tile:
        """The held tile if it is younger than `seconds`, else `make()`'s, held from now."""
        if self.seconds <= 0:
            return make()
        now = self._clock()
        with self._lock:
            held = self._held.get(key)
            if held is not None and now - held[0] < self.seconds:
                self._held.move_to_end(key)
                return held[1]
        data = make()  # outside the lock: two threads may make the same tile once each, never wait on each other
        with self._lock:
            self._held[key] = (now, data)
            self._held.move_to_end(key)
            while len(self._held) > self.size:
                self._held.popitem(last=False)
        return data
