"""Answer the gold cases and score them: `python -m evals run [--gold FILE] [--split dev|test|all] [--responder NAME]
[--out DIR]`.

Writes `predictions.jsonl` (the `ask --json` contract plus `id`, the standalone query, the top-5
retrieved passages and what the responder was shown) and `metrics.json` (the split, overall, by
kind, by language, per case, baselines).

The answers come from the `Assistant` that `assistant.make_chain` wraps, through its typed events
rather than the chain's dicts: the last event also carries the standalone question that was
searched (`Final.query`) and the passages the responder was shown (`Final.shown`).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answering.chain import Assistant, Final
from assistant.answering.conversation import Message
from assistant.answering.grounding import vocabulary, words_found
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.text import bare, passage_units
from assistant.translations import FILE_NAME as TRANSLATIONS
from assistant.translations import TranslationMemory, quotable, shipped
from evals.baselines import baselines
from evals.gold import Case
from evals.metrics.abstention import abstention_precision, abstention_recall
from evals.metrics.citations import citation_precision, evidence_cited, markers_resolve
from evals.metrics.correctness import answer_correct
from evals.metrics.faithfulness import Evidence, Judge, Similarity, Words, faithfulness, judged_faithfulness
from evals.metrics.language import language_match
from evals.metrics.retrieval import evidence_rank, hit_at, reciprocal_rank


def replay(assistant: Assistant, turns: Sequence[str]) -> list[Message]:
    """The conversation of a case's earlier turns, answered by the assistant."""
    history: list[Message] = []
    for turn in turns:
        history += [Message("user", turn), Message("assistant", assistant.ask(turn, history).text)]
    return history


def predict(assistant: Assistant, case: Case) -> dict[str, Any]:
    history = replay(assistant, case.turns[:-1])
    question = case.turns[-1]
    started = time.perf_counter()
    final = next(e for e in assistant.stream(question, history) if isinstance(e, Final))
    seconds = time.perf_counter() - started
    answer, query = final.answer, final.query  # the query is not rewritten a second time
    retrieved = assistant.retriever.retrieve(query, answer.language, k=5)
    return {
        "id": case.id,
        **answer.to_json(),
        "query": query,
        "seconds": round(seconds, 3),
        "retrieved": [{"text": p.original, "similarity": round(p.similarity, 4)} for p in retrieved],
        # numbered as the citations; a passage with no sentence kept was not shown at all
        "shown": [{"n": n, "text": p.text} for n, p in enumerate(final.shown, start=1) if p.text],
    }


def score(
    case: Case, prediction: dict[str, Any], assistant: Assistant, memory: TranslationMemory, judge: Judge | None = None
) -> dict[str, Any]:
    """Per-case scores; None where a metric does not apply to the case (or with no `judge`, for the
    LLM-judged faithfulness)."""
    evidence = case.evidence
    cited = {c["n"]: c["text"] for c in prediction["citations"]}
    rank = evidence_rank([p["text"] for p in prediction["retrieved"]], evidence) if evidence else None
    citations = prediction["citations"]
    text, abstained = prediction["answer"], prediction["abstained"]
    return {
        "id": case.id,
        "kind": case.kind,
        "lang": case.lang,
        "answerable": case.answerable,
        "off_topic": case.off_topic,
        "abstained": abstained,
        "rank": rank,
        "correct": answer_correct(text, case.must) and not abstained if case.answerable else None,
        "citation_precision": citation_precision([c["text"] for c in citations], evidence) if evidence else None,
        "evidence_cited": evidence_cited([c["text"] for c in citations], evidence)
        if evidence and not abstained
        else None,
        "markers_resolve": markers_resolve(text, [c["n"] for c in citations]),
        "faithfulness": None
        if abstained
        else faithfulness(
            text, cited, closeness(assistant.retriever.embedder), content_words(citations, case.lang, memory)
        ),
        "faithfulness_llm": None
        if abstained or judge is None
        else judged_faithfulness(text, cited, judge, _closest_sentences(assistant)),
        "language_match": language_match(text, case.lang),
        "seconds": prediction["seconds"],
    }


def content_words(citations: list[dict[str, Any]], language: str, memory: TranslationMemory) -> Words:
    """The assistant's own content-word check, over the cited passages read in the answer's `language`
    through the translation memory (the translations ingest attaches to their chunks)."""
    vocabularies = {
        c["text"]: vocabulary(
            f"{c['section']}\n{c['text']}",
            c["language"],
            [t for _, t in quotable(map(bare, passage_units(c["text"])), memory, language)]
            if c["language"] != language
            else [],
            language,
        )
        for c in citations
    }
    return lambda statement, texts: words_found(statement, [vocabularies[t] for t in texts], language)


def closeness(embedder: SentenceEmbedder) -> Similarity:
    """A statement's cosine with the closest of its cited passages or of their sentences: a quoted list item
    ("Ruijin Hospital in Shanghai,") is compared with its own line, not diluted in its whole passage."""

    def best_cosine(sentence: str, passages: list[str]) -> float:
        parts = [*passages, *(unit for p in passages for unit in passage_units(p))]
        vectors = np.array(embedder.embed_documents([sentence, *dict.fromkeys(parts)]))
        return float((vectors[1:] @ vectors[0]).max())

    return best_cosine


def _closest_sentences(assistant: Assistant, count: int = 3) -> Evidence:
    embedder = assistant.retriever.embedder

    def closest(statement: str, passages: list[str]) -> list[str]:
        sentences = list(dict.fromkeys(unit for p in passages for unit in passage_units(p)))
        if len(sentences) <= count:
            return sentences
        vectors = np.array(embedder.embed_documents([statement, *sentences]))
        best = np.argsort(-(vectors[1:] @ vectors[0]))[:count]
        return [sentences[i] for i in sorted(best)]

    return closest


def summarize(scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def mean(values: Sequence[float | bool | None]) -> float | None:
        present = [float(v) for v in values if v is not None]
        return round(statistics.mean(present), 4) if present else None

    answerable = [s for s in scores if s["answerable"]]
    ranks = [s["rank"] for s in answerable]
    seconds = sorted(s["seconds"] for s in scores)
    abstained = [s["abstained"] for s in scores]
    unanswerable = [not s["answerable"] for s in scores]
    return {
        "cases": len(scores),
        "hit@1": mean([hit_at(r, 1) for r in ranks]),
        "hit@3": mean([hit_at(r, 3) for r in ranks]),
        "hit@5": mean([hit_at(r, 5) for r in ranks]),
        "mrr": mean([reciprocal_rank(r) for r in ranks]),
        "correct": mean([s["correct"] for s in answerable]),
        "citation_precision": mean([s["citation_precision"] for s in answerable]),
        "evidence_cited": mean([s["evidence_cited"] for s in answerable]),
        "markers_resolve": mean([s["markers_resolve"] for s in scores]),
        "faithfulness": mean([s["faithfulness"] for s in scores]),
        "faithfulness_llm": mean([s.get("faithfulness_llm") for s in scores]),
        "language_match": mean([s["language_match"] for s in scores]),
        "unanswerable_abstained": mean([abstention_recall(abstained, unanswerable)]),
        "answerable_abstained": mean([s["abstained"] for s in answerable]),
        "abstention_precision": mean([abstention_precision(abstained, unanswerable)]),
        "latency_p50_s": round(seconds[len(seconds) // 2], 3) if seconds else None,
        "latency_p95_s": round(seconds[max(0, int(len(seconds) * 0.95) - 1)], 3) if seconds else None,
    }


def breakdown(scores: Sequence[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for s in scores:
        keys = [f"kind={s['kind']}", f"lang={s['lang']}"]
        if s["kind"] == "unanswerable":  # the goal holds for each of the two
            keys.append("unanswerable=off-topic" if s["off_topic"] else "unanswerable=on-topic")
        for key in keys:
            groups.setdefault(key, []).append(s)
    return {key: summarize(group) for key, group in sorted(groups.items())}


def run(
    assistant: Assistant,
    cases: Sequence[Case],
    out: Path,
    with_baselines: bool = True,
    rescore: bool = False,
    judge: Judge | None = None,
    judge_name: str | None = None,
    split: str = "all",
) -> dict[str, Any]:
    """Answer and score; with `rescore`, score the answers already in `out/predictions.jsonl` again.
    With a `judge` (an LLM's chat completion), faithfulness is also judged by that LLM. `split`
    names the half of the gold set that `cases` are, for the report."""
    out.mkdir(parents=True, exist_ok=True)
    if rescore:
        lines = (out / "predictions.jsonl").read_text(encoding="utf-8").splitlines()
        saved = {p["id"]: p for p in map(json.loads, lines)}
        predictions = [saved[case.id] for case in cases]
    else:
        predictions = [predict(assistant, case) for case in cases]
    settings = assistant.settings
    memory = TranslationMemory(settings.data_dir / TRANSLATIONS, shipped(settings.ingest.corpus_dirs))
    scores = [score(case, p, assistant, memory, judge) for case, p in zip(cases, predictions, strict=True)]
    with (out / "predictions.jsonl").open("w", encoding="utf-8") as file:
        for prediction in predictions:
            file.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    metrics = {
        "responder": predictions[0]["responder"] if rescore else assistant.responder.name,
        "judge": judge_name if judge else None,
        "judge_skips_copies": bool(judge),  # older runs put every statement to the judge
        "split": split,
        "overall": summarize(scores),
        "by": breakdown(scores),
        "baselines": baselines(assistant, cases, predictions) if with_baselines else {},
        "cases": scores,
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return metrics
