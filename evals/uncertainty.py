"""How much a number could move by chance: a rate's 95 % interval, and whether a change between two runs
is more than noise.

A split holds a few hundred cases, so a rate is known only to a few points, and a change that fixes 3
cases and breaks 1 splits them no more unevenly than chance often does (p = 0.63): the report says so
next to the number.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

Z95 = 1.959964  # the normal quantile of a two-sided 95 % interval


def wilson(successes: int, n: int) -> tuple[float, float]:
    """The 95 % Wilson score interval of a rate `successes / n`; it stays within [0, 1] and holds at 0 or n."""
    if n == 0:
        return (0.0, 1.0)
    rate = successes / n
    centre = (rate + Z95**2 / (2 * n)) / (1 + Z95**2 / n)
    half = Z95 * math.sqrt(rate * (1 - rate) / n + Z95**2 / (4 * n * n)) / (1 + Z95**2 / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def sign_test(fixed: int, broken: int) -> float:
    """Two-sided exact p-value that `fixed` against `broken` changed cases is chance (McNemar's exact test):
    each changed case is as likely to be fixed as broken when the change does nothing."""
    n = fixed + broken
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(fixed, broken) + 1)) / 2**n
    return min(1.0, 2 * tail)


# The rates the goals are set on, each over the cases it is a rate of.
INTERVALS = {
    "correct": (lambda s: s["answerable"], lambda s: s["correct"]),
    "unanswerable_abstained": (lambda s: not s["answerable"], lambda s: s["abstained"]),
    "answerable_abstained": (lambda s: s["answerable"], lambda s: s["abstained"]),
    "evidence_cited": (lambda s: s["answerable"] and s["evidence_cited"] is not None, lambda s: s["evidence_cited"]),
}


def intervals(cases: Sequence[Mapping[str, Any]]) -> dict[str, tuple[float, int, float, float] | None]:
    """For each rate of `INTERVALS`: its value, the number of cases it is over, and its 95 % interval; None
    when no case counts."""
    result: dict[str, tuple[float, int, float, float] | None] = {}
    for metric, (counted, passed) in INTERVALS.items():
        over = [c for c in cases if counted(c)]
        hits = sum(bool(passed(c)) for c in over)
        result[metric] = (hits / len(over), len(over), *wilson(hits, len(over))) if over else None
    return result
