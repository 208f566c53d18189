"""An app process runs at most `workers` imports at once: a request waits a moment for a slot to free (a clerk who
cancels and uploads again is not refused while the cancelled worker exits), then gets a 429 in Chinese."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor

import pytest

from stations.errors import TooManyRequests
from stations.services.importer import runner
from stations.services.importer.limits import Limits


def _run(scenario: Callable[[], Coroutine[None, None, None]]) -> None:
    """On a thread of its own: the browser tests' Playwright leaves an event loop running on this one."""
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, scenario()).result()


def _runner(workers: int) -> runner.ImportRunner:
    return runner.ImportRunner(database_url="postgresql://unused", sessions=None,  # type: ignore[arg-type]
                               limits=Limits(), workers=workers)


def test_a_slot_freed_while_waiting_is_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "SLOT_WAIT_SECONDS", 5.0)

    async def scenario() -> None:
        imports = _runner(1)
        await imports._take()
        waiting = asyncio.create_task(imports._take())
        await asyncio.sleep(0.05)
        assert not waiting.done(), "the second request waits for the first to end"
        imports._slots.release()
        await asyncio.wait_for(waiting, 1)

    _run(scenario)


def test_no_slot_within_the_wait_is_a_429_saying_when_to_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "SLOT_WAIT_SECONDS", 0.05)

    async def scenario() -> None:
        imports = _runner(2)
        await imports._take()
        await imports._take()
        with pytest.raises(TooManyRequests) as refused:
            await imports._take()
        assert "请过一分钟再试" in str(refused.value) and refused.value.retry_after == 60

    _run(scenario)
