"""Answering benchmark: retrieval and end-to-end latency per responder, on the gold set's questions.

    python -m benchmarks.answering [--responders extractive local] [--out docs/benchmarks/answering.json]

Uses the configured index (run `python -m ingest` first). Each question is asked once after
one warm-up question; latencies are p50/p95 over the single-turn gold questions. For the
local model, time to first token is measured on the streamed draft.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.answering.chain import Assistant, Final, Sources, Token
from assistant.settings import load_settings
from benchmarks.provenance import provenance
from evals.gold import load_gold

REPO = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def measure(assistant: Assistant, questions: list[str]) -> dict[str, Any]:
    retrieve, first_token, total, fallbacks = [], [], [], 0
    assistant.ask(questions[0])  # warm-up: model loading is not a per-question cost
    for question in questions:
        started = time.perf_counter()
        first: float | None = None
        for event in assistant.stream(question):
            if isinstance(event, Sources):
                retrieve.append((time.perf_counter() - started) * 1000)
            elif isinstance(event, Token) and first is None:
                first = (time.perf_counter() - started) * 1000
            elif isinstance(event, Final):
                total.append((time.perf_counter() - started) * 1000)
                fallbacks += event.answer.responder != assistant.responder.name
        if first is not None:
            first_token.append(first)
    result = {
        "questions": len(questions),
        "retrieve_ms_p50": percentile(retrieve, 0.5),
        "retrieve_ms_p95": percentile(retrieve, 0.95),
        "total_ms_p50": percentile(total, 0.5),
        "total_ms_p95": percentile(total, 0.95),
        "answers_by_fallback": fallbacks,
    }
    if first_token:
        result |= {
            "first_token_ms_p50": percentile(first_token, 0.5),
            "first_token_ms_p95": percentile(first_token, 0.95),
            "first_token_ms_mean": round(statistics.mean(first_token), 1),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responders", nargs="+", default=["extractive", "local"])
    parser.add_argument("--limit", type=int, default=0, help="ask only the first N questions")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmarks" / "answering.json")
    args = parser.parse_args()
    questions = [c.turns[0] for c in load_gold() if len(c.turns) == 1 and c.answerable]
    questions = questions[: args.limit] if args.limit else questions
    settings = load_settings()
    results = provenance("benchmarks.answering", embedding_backend=settings.embedding.backend)
    results |= {name: measure(Assistant.from_settings(settings, responder=name), questions) for name in args.responders}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
