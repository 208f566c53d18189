"""Where a reply of many items is written: on the event loop when short, in a worker thread when long."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
INLINE_ITEMS = 21
"""Up to this many rows (a page of 20 and the row that says more follow) are written on the event loop; a page of
100 Features or 1,000 changes is milliseconds of writing, which there would hold up every nearest lookup behind it."""


async def written(items: int, write: Callable[..., T], *args: Any) -> T:
    """`write(*args)`, for a reply of `items` rows."""
    return write(*args) if items <= INLINE_ITEMS else await asyncio.to_thread(write, *args)
