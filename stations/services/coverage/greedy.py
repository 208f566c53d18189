"""Choosing new sites: greedy maximum coverage, and the "largest single gap" rule it is compared with.

Each candidate site covers a set of demand places (those within reach); a place's weight counts once however many
chosen sites cover it. Greedy takes, k times, the candidate adding the most weight not yet covered: the classic
(1 - 1/e) ~ 63% guarantee against the best k sites (Nemhauser, Wolsey and Fisher, 1978), and in practice close to
the best. Pure: no database, so it is tested on sets with known answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass


@dataclass(frozen=True)
class Pick:
    """One chosen site: the candidate, the weight it newly covers, and the places it covers for the first time."""

    site: str
    gain: float
    covers: frozenset[str]


def greedy(*, covers: Mapping[str, Set[str]], weight: Mapping[str, float], k: int) -> list[Pick]:
    """Up to `k` sites, each the candidate adding the most uncovered weight (ties: the smaller name); stops when
    nothing more can be covered."""
    covered: set[str] = set()
    picks: list[Pick] = []
    for _ in range(k):
        best, best_gain, best_new = "", 0.0, frozenset[str]()
        for site in sorted(covers):
            new = frozenset(covers[site] - covered)
            gain = sum(weight[p] for p in new)
            if gain > best_gain:
                best, best_gain, best_new = site, gain, new
        if best_gain <= 0:
            break
        picks.append(Pick(site=best, gain=best_gain, covers=best_new))
        covered |= best_new
    return picks


def largest_gaps(*, covers: Mapping[str, Set[str]], weight: Mapping[str, float], k: int) -> list[Pick]:
    """The baseline: a site at each of the `k` heaviest places, in that order, each credited with what it newly
    covers."""
    covered: set[str] = set()
    picks = []
    for site in sorted(covers, key=lambda s: (-weight.get(s, 0.0), s))[:k]:
        new = frozenset(covers[site] - covered)
        picks.append(Pick(site=site, gain=sum(weight[p] for p in new), covers=new))
        covered |= new
    return picks


def total(picks: list[Pick]) -> float:
    """The weight a set of picks covers."""
    return sum(p.gain for p in picks)
