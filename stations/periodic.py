"""Background upkeep of an app process: a blocking job run on a thread every few seconds for as long as the app
runs. A failure (the primary down, a lock taken) is logged and the job tried again next round."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


async def every(seconds: float, job: Callable[[], object], *, failed: str) -> None:
    """Run `job` on a thread every `seconds`; a failure logs the event `failed` and waits for the next round."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await asyncio.to_thread(job)
        except Exception as exc:  # the work waits for the next round
            log.warning(failed, extra={"detail": str(exc)})
