"""The demand recorder: what a lookup adds, the memory bound, and tallies kept when a write fails."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from stations.geo.grid import cell_of
from stations.hours import SHANGHAI
from stations.nearest.opening import CLOSED, Opening
from stations.nearest.query import Nearby, NearestQuery
from stations.services.coverage.recorder import DemandRecorder, rows, week_of

TUESDAY_2130 = datetime(2026, 3, 3, 21, 30, tzinfo=SHANGHAI)
OPEN = Opening(open=True, staffed=True, next_change=None, self_service=False, open_if_ordinary=True)


def _recorder(max_cells: int = 100) -> DemandRecorder:
    return DemandRecorder(clock=lambda: TUESDAY_2130, retention_days=91, max_cells=max_cells)


def _result(metres: float, opening: Opening) -> Nearby:
    return Nearby(row={}, distance_m=metres, opening=opening)


def test_a_lookup_adds_its_cell_hour_and_nearest_open_result() -> None:
    recorder = _recorder()
    query = NearestQuery(lon=103.83, lat=36.06, at=TUESDAY_2130)
    recorder.note(query, [_result(200.0, CLOSED), _result(800.0, OPEN), _result(900.0, OPEN)])
    recorder.note(query, [_result(1500.0, OPEN)])
    recorder.note(query, [])
    assert recorder.tallies == {(*cell_of(103.83, 36.06), 24 + 21): [3, 1, 2300.0, 2]}


def test_the_asked_moment_counts_in_beijing_time() -> None:
    recorder = _recorder()
    utc = datetime.fromisoformat("2026-03-03T13:30:00+00:00")  # 21:30 in Beijing
    recorder.note(NearestQuery(lon=103.83, lat=36.06, at=utc), [])
    assert [key[2] for key in recorder.tallies] == [45]


def test_cells_past_the_bound_are_dropped_not_stored() -> None:
    recorder = _recorder(max_cells=2)
    for lon in (103.80, 103.85, 103.90, 103.95):
        recorder.note(NearestQuery(lon=lon, lat=36.06, at=TUESDAY_2130), [])
    assert len(recorder.tallies) == 2 and recorder.dropped == 2


class _Failing:
    def __call__(self) -> Any:
        raise OSError("primary down")


def test_a_failed_write_keeps_the_tallies_for_the_next() -> None:
    recorder = _recorder()
    recorder.note(NearestQuery(lon=103.83, lat=36.06, at=TUESDAY_2130), [])
    with ThreadPoolExecutor(1) as thread:  # a loop of its own (Playwright leaves one running on the main thread)
        assert thread.submit(asyncio.run, recorder.flush(_Failing())).result() == 0  # type: ignore[arg-type]
    recorder.note(NearestQuery(lon=103.83, lat=36.06, at=TUESDAY_2130), [])
    assert list(recorder.tallies.values()) == [[2, 0, 0.0, 0]]


def test_rows_carry_the_cell_centre_and_county_never_the_point() -> None:
    recorder = _recorder()
    recorder.note(NearestQuery(lon=103.8312345, lat=36.0612345, at=TUESDAY_2130), [])
    (row,) = rows(recorder.take(), week=week_of(TUESDAY_2130.date()))
    assert row["adcode"] == "620102" and str(row["week"]) == "2026-03-02"
    assert (row["lon"], row["lat"]) != (103.8312345, 36.0612345)
    assert set(row) == {"week", "row", "col", "hour", "adcode", "lon", "lat", "lookups", "served", "open_m_sum",
                        "open_n"}


def test_a_count_that_cannot_be_made_never_fails_the_lookup() -> None:
    recorder = _recorder()
    recorder.note(NearestQuery(lon=float("nan"), lat=36.06, at=TUESDAY_2130), [])
    assert recorder.tallies == {} and recorder.dropped == 1
