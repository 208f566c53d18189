"""A replica's lag, from the primary's WAL positions remembered each check round, and the order reads try sources."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from stations.db.read_pool import ReadPool
from stations.db.replica_lag import LagMeter
from stations.db.replicas import ReadRoute, Source


def test_an_idle_primary_does_not_make_a_caught_up_replica_lag() -> None:
    meter = LagMeter(window=20)
    for second in range(100):  # nothing written for 100 s: the position stands still
        meter.primary_at(5_000, now=float(second))
    assert meter.lag(5_000, now=100.0) == 0.0


def test_a_replica_stuck_while_the_primary_writes_falls_behind_by_the_clock() -> None:
    meter = LagMeter(window=20)
    for second in range(10):
        meter.primary_at(1_000 * second, now=float(second))
    assert meter.lag(3_000, now=9.5) == 6.5  # it holds what the primary had at second 3
    assert meter.lag(9_000, now=9.5) == 0.0


def test_behind_every_remembered_position_it_is_at_least_as_old_as_the_oldest() -> None:
    meter = LagMeter(window=5)
    for second in range(30):
        meter.primary_at(1_000 + second, now=float(second))
    assert meter.lag(10, now=30.0) == 30.0 - 24.0  # the oldest kept is from second 24 (5 s window + 1)
    assert meter.lag(10, now=30.0, replay_behind_s=120.0) == 120.0  # its last replayed commit is older still


def test_no_position_known_means_no_lag_to_hold_against_it() -> None:
    """The primary has not answered since this process started: a replica that answers is used."""
    assert LagMeter(window=10).lag(0, now=1.0) == 0.0


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=40), st.integers(0, 10**6))
def test_the_lag_never_grows_when_the_replica_replays_further(steps: list[int], replayed: int) -> None:
    meter, position = LagMeter(window=15), 0
    for second, step in enumerate(steps):
        position += step
        meter.primary_at(position, now=float(second))
    now = float(len(steps))
    assert meter.lag(replayed + 1, now=now) <= meter.lag(replayed, now=now)
    assert 0.0 <= meter.lag(replayed, now=now) <= now


def _source(name: str, role: str, state: str) -> Source:
    pool = ReadPool("postgresql://nobody@127.0.0.1:9/x", size=1)
    return Source(name=name, role=role, reads=pool, pages=pool, probe=pool, state=state,
                  sessions=sessionmaker(bind=create_engine("postgresql+psycopg://nobody@127.0.0.1:9/x")))


def test_reads_go_to_replicas_that_keep_up_in_turn_then_the_primary_then_lagging_ones() -> None:
    primary = _source("primary", "primary", "up")
    one, two, late, gone = (_source("1", "replica", "up"), _source("2", "replica", "up"),
                            _source("late", "replica", "lagging"), _source("gone", "replica", "down"))
    route = ReadRoute(primary, [one, two, late, gone], max_lag=10)
    orders = [[source.name for source in route.order()] for _ in range(4)]
    assert {tuple(order[:2]) for order in orders} == {("1", "2"), ("2", "1")}  # taken in turn
    assert all(order[2:] == ["primary", "late", "gone"] for order in orders)
    assert route.order(primary_first=True)[0] is primary  # a staff caller reads their own writes
    primary.state = "down"
    assert [source.name for source in route.order()][2:] == ["late", "primary", "gone"]
