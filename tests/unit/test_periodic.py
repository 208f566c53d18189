"""Background upkeep keeps going after a failure: the failure is logged and the job runs again next round."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

from stations import periodic


def test_a_failed_round_is_logged_and_the_next_one_runs(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []

    def job() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("primary down")

    async def scenario() -> None:
        task = asyncio.create_task(periodic.every(0.01, job, failed="upkeep_failed"))
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        task.cancel()

    with caplog.at_level(logging.WARNING), ThreadPoolExecutor(1) as thread:  # Playwright may hold this thread's loop
        thread.submit(asyncio.run, scenario()).result(timeout=10)
    logged = [(r.getMessage(), getattr(r, "detail", None)) for r in caplog.records if r.name == "stations.periodic"]
    assert logged == [("upkeep_failed", "primary down")], "one failure logged, and the rounds after it ran"
