"""Retrieval: where the evidence ranks among the retrieved passages (hit@k, reciprocal rank).

Compared case-, accent- and whitespace-insensitively.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.text import fold


def _squash(text: str) -> str:
    return " ".join(fold(text).split())


def contains(passage: str, evidence: str) -> bool:
    return _squash(evidence) in _squash(passage)


def evidence_rank(passages: Sequence[str], evidence: str) -> int | None:
    """1-based rank of the first passage containing `evidence`, or None."""
    return next((rank for rank, text in enumerate(passages, start=1) if contains(text, evidence)), None)


def hit_at(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0
