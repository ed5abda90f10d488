"""Choose `retrieval.min_similarity`, the abstention threshold, on the gold set.

For every case, the best cosine between its (standalone) question and the retrieved passages.
The threshold is the highest one that wrongly abstains on at most 5 % of the answerable
cases; the report lists the rates for every candidate so the trade-off is visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.answering.chain import Assistant
from evals.gold import Case
from evals.run import replay

MAX_WRONG_ABSTENTIONS = 0.05


def best_similarity(assistant: Assistant, case: Case) -> float:
    history = replay(assistant, case.turns[:-1])
    query = assistant.standalone(case.turns[-1], history, case.lang, [])
    return max((p.similarity for p in assistant.retriever.retrieve(query, case.lang)), default=0.0)


def calibrate(assistant: Assistant, cases: Sequence[Case]) -> dict[str, Any]:
    scored = [(case, best_similarity(assistant, case)) for case in cases]
    answerable = [s for c, s in scored if c.answerable]
    unanswerable = [s for c, s in scored if not c.answerable]
    candidates = []
    for step in range(0, 41):
        threshold = round(0.75 + step * 0.005, 3)
        candidates.append(
            {
                "threshold": threshold,
                "answerable_abstained": round(sum(s < threshold for s in answerable) / len(answerable), 4),
                "unanswerable_abstained": round(sum(s < threshold for s in unanswerable) / len(unanswerable), 4),
            }
        )
    allowed = [c for c in candidates if c["answerable_abstained"] <= MAX_WRONG_ABSTENTIONS]
    chosen = max(allowed, key=lambda c: c["threshold"])
    return {
        "chosen": chosen,
        "candidates": candidates,
        "cases": [
            {"id": c.id, "kind": c.kind, "answerable": c.answerable, "best_similarity": round(s, 4)} for c, s in scored
        ],
    }
