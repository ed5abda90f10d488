"""Abstention: precision and recall of "not in my sources" against the cases that have no answer."""

from __future__ import annotations

from collections.abc import Sequence


def abstention_precision(abstained: Sequence[bool], unanswerable: Sequence[bool]) -> float | None:
    chosen = [u for a, u in zip(abstained, unanswerable, strict=True) if a]
    return sum(chosen) / len(chosen) if chosen else None


def abstention_recall(abstained: Sequence[bool], unanswerable: Sequence[bool]) -> float | None:
    wanted = [a for a, u in zip(abstained, unanswerable, strict=True) if u]
    return sum(wanted) / len(wanted) if wanted else None
