"""The bulk writer's pause of the garbage collector is undone, nested or on error."""

from __future__ import annotations

import gc

import pytest

from stations.services.registry.bulk import gc_paused


def test_gc_paused_nested_leaves_it_to_the_outermost_and_restores_it() -> None:
    assert gc.isenabled()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_paused_restores_it_when_the_write_fails() -> None:
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("copy failed")
    assert gc.isenabled()
