"""The import worker confines itself: past its memory cap an allocation fails inside it, not in the app."""

from __future__ import annotations

import subprocess
import sys

import pytest

CONFINED = """
from stations.services.importer.limits import Limits
from stations.services.importer.worker import confine
confine(Limits(memory_mb=256))
try:
    block = bytearray({size} * 2**20)
except MemoryError:
    print("refused")
else:
    print("allowed")
"""


@pytest.mark.parametrize(("size_mb", "answer"), [(64, "allowed"), (600, "refused")])
def test_the_worker_caps_the_memory_it_may_add(size_mb: int, answer: str) -> None:
    run = subprocess.run([sys.executable, "-c", CONFINED.format(size=size_mb)], capture_output=True, text=True,
                         timeout=120, check=True)
    assert run.stdout.strip() == answer
