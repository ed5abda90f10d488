"""Citations: do the cited passages hold the evidence, and does every marker point at a citation?"""

from __future__ import annotations

import re
from collections.abc import Sequence

from evals.metrics.retrieval import contains

_MARKER = re.compile(r"\[(\d+)\]")


def citation_precision(cited: Sequence[str], evidence: str) -> float | None:
    """Share of cited passages that contain the evidence (None when nothing is cited)."""
    return sum(contains(c, evidence) for c in cited) / len(cited) if cited else None


def evidence_cited(cited: Sequence[str], evidence: str) -> bool:
    """The gold evidence is in one of the answer's cited passages."""
    return any(contains(c, evidence) for c in cited)


def markers_resolve(answer: str, numbers: Sequence[int]) -> float | None:
    """Share of [n] markers in the answer that name one of its citations (None without markers)."""
    markers = [int(m) for m in _MARKER.findall(answer)]
    return sum(m in numbers for m in markers) / len(markers) if markers else None
