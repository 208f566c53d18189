"""Greedy maximum coverage against the "largest single gap" rule and against the best choice, on known sets."""

from __future__ import annotations

import itertools
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from stations.services.coverage.greedy import greedy, largest_gaps, total


def test_greedy_beats_the_largest_single_gap_where_gaps_overlap() -> None:
    """Two heavy cells side by side (one site covers both) and a lighter cluster far away: the largest-gap rule puts
    both sites on the heavy pair; greedy covers the pair with one site and the far cluster with the other."""
    weight = {"a": 50.0, "b": 45.0, "far": 30.0}
    covers = {"a": {"a", "b"}, "b": {"a", "b"}, "far": {"far"}}
    best = greedy(covers=covers, weight=weight, k=2)
    naive = largest_gaps(covers=covers, weight=weight, k=2)
    assert [p.site for p in best] == ["a", "far"] and total(best) == 125.0
    assert [p.site for p in naive] == ["a", "b"] and total(naive) == 95.0


def test_a_site_between_two_gaps_is_chosen_over_either_gap() -> None:
    """A candidate reaching two gaps covers more than a site on the larger gap alone."""
    weight = {"left": 20.0, "middle": 1.0, "right": 15.0}
    covers = {"left": {"left", "middle"}, "middle": {"left", "middle", "right"}, "right": {"right", "middle"}}
    assert greedy(covers=covers, weight=weight, k=1)[0].site == "middle"
    assert largest_gaps(covers=covers, weight=weight, k=1)[0].site == "left"


def test_greedy_stops_when_nothing_is_left_to_cover() -> None:
    picks = greedy(covers={"a": {"a"}, "b": {"a"}}, weight={"a": 3.0}, k=5)
    assert [(p.site, p.gain) for p in picks] == [("a", 3.0)]


def _best(covers: dict[str, set[str]], weight: dict[str, float], k: int) -> float:
    return max((sum(weight[p] for p in set().union(*(covers[s] for s in chosen))) for chosen in
                itertools.combinations(sorted(covers), min(k, len(covers)))), default=0.0)


@settings(max_examples=150)
@given(st.integers(3, 7).flatmap(lambda n: st.tuples(
    st.lists(st.floats(0.5, 100.0), min_size=n, max_size=n),
    st.lists(st.sets(st.integers(0, n - 1), max_size=n), min_size=n, max_size=n),
    st.integers(1, 3))))
def test_greedy_keeps_its_guarantee(case: tuple[list[float], list[set[int]], int]) -> None:
    """At least (1 - 1/e) of the best k sites (brute force on small instances), and never below one site's best."""
    weights, reaches, k = case
    weight = {f"p{i}": w for i, w in enumerate(weights)}
    covers = {f"p{i}": {f"p{j}" for j in reach} | {f"p{i}"} for i, reach in enumerate(reaches)}
    got = total(greedy(covers=covers, weight=weight, k=k))
    assert got >= (1 - 1 / math.e) * _best(covers, weight, k) - 1e-9
    assert got >= _best(covers, weight, 1) - 1e-9
