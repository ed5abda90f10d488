"""Where the evidence ranks among retrieved passages (compared case-, accent- and space-insensitively)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.text import fold


def _squash(text: str) -> str:
    return " ".join(fold(text).split())


def evidence_rank(passages: Sequence[str], evidence: str) -> int | None:
    """1-based rank of the first passage containing `evidence`, or None."""
    wanted = _squash(evidence)
    return next((rank for rank, text in enumerate(passages, start=1) if wanted in _squash(text)), None)
