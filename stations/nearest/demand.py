"""Where a lookup tells demand that it happened: the sink `Nearest` hands each answered query and its results to.

The sink (`services.coverage.recorder.DemandRecorder` in the app) must answer in microseconds and never touch the
network: it counts in memory and writes later, off the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from stations.nearest.query import Nearby, NearestQuery


class DemandSink(Protocol):
    """Takes note of one answered lookup (its cell and hour, and the nearest open result), in memory."""

    def note(self, query: NearestQuery, results: Sequence[Nearby]) -> None: ...
