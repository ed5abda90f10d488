"""Answer every gold case and score it: `python -m evals run [--gold FILE] [--responder NAME] [--out DIR]`.

Writes `predictions.jsonl` (the `ask --json` contract plus `id`, and the top-5 retrieved passages)
and `metrics.json`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.chain import Assistant
from assistant.conversation import Message
from assistant.language import detect_language
from evals.gold import Case
from evals.metrics.correctness import answer_correct
from evals.metrics.evidence import evidence_rank


def predict(assistant: Assistant, case: Case) -> dict[str, Any]:
    history: list[Message] = []
    for turn in case.turns[:-1]:
        answer = assistant.ask(turn, history)
        history += [Message("user", turn), Message("assistant", answer.text)]
    question = case.turns[-1]
    started = time.perf_counter()
    answer = assistant.ask(question, history)
    seconds = time.perf_counter() - started
    query = assistant.standalone(question, history, answer.language, [])
    retrieved = assistant.retriever.retrieve(query, answer.language, k=5)
    return {"id": case.id, **answer.to_json(), "seconds": seconds,
            "retrieved": [{"text": p.original, "similarity": p.similarity} for p in retrieved]}


def score(case: Case, prediction: dict[str, Any]) -> dict[str, Any]:
    """Per-case scores; None where a metric does not apply to the case."""
    answerable = case.answerable
    rank = evidence_rank([p["text"] for p in prediction["retrieved"]], case.evidence) if case.evidence else None
    cited = [c["text"] for c in prediction["citations"]]
    text = prediction["answer"]
    return {
        "id": case.id, "kind": case.kind, "lang": case.lang, "answerable": answerable,
        "abstained": prediction["abstained"],
        "rank": rank,
        "correct": answer_correct(text, case.must) and not prediction["abstained"] if answerable else None,
        "citation_precision": (sum(evidence_rank([c], case.evidence) is not None for c in cited) / len(cited)
                               if case.evidence is not None and cited else None),
        "language_match": prediction["language"] == case.lang and (
            prediction["abstained"] or _answer_language(text) == case.lang),
        "seconds": prediction["seconds"],
    }


def _answer_language(text: str) -> str:
    # The framing sentence carries the answer's language; quotes may be in the source's language.
    return detect_language(text.split("\n")[0], ("fr", "en"))


def summarize(scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    answerable = [s for s in scores if s["answerable"]]
    unanswerable = [s for s in scores if not s["answerable"]]
    ranks = [s["rank"] for s in answerable]
    seconds = sorted(s["seconds"] for s in scores)
    return {
        "cases": len(scores),
        "hit@1": mean([r is not None and r <= 1 for r in ranks]),
        "hit@3": mean([r is not None and r <= 3 for r in ranks]),
        "hit@5": mean([r is not None for r in ranks]),
        "mrr": mean([1 / r if r else 0.0 for r in ranks]),
        "correct": mean([s["correct"] for s in answerable]),
        "citation_precision": mean([s["citation_precision"] for s in answerable
                                    if s["citation_precision"] is not None]),
        "unanswerable_abstained": mean([s["abstained"] for s in unanswerable]),
        "answerable_abstained": mean([s["abstained"] for s in answerable]),
        "language_match": mean([s["language_match"] for s in scores]),
        "latency_p50_s": round(seconds[len(seconds) // 2], 3) if seconds else None,
        "latency_p95_s": round(seconds[int(len(seconds) * 0.95) - 1], 3) if seconds else None,
    }


def breakdown(scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in scores:
        for key in (f"kind={s['kind']}", f"lang={s['lang']}"):
            groups.setdefault(key, []).append(s)
    return {key: summarize(group) for key, group in sorted(groups.items())}


def run(assistant: Assistant, cases: Sequence[Case], out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    predictions = [predict(assistant, case) for case in cases]
    scores = [score(case, p) for case, p in zip(cases, predictions, strict=True)]
    with (out / "predictions.jsonl").open("w", encoding="utf-8") as file:
        for prediction in predictions:
            file.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    metrics = {"overall": summarize(scores), "by": breakdown(scores), "cases": scores}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return metrics
