"""Retrieval baselines scored in the same run, so the report shows what each design choice buys.

- hybrid without the language quota: what keeping room for the other language buys;
- dense only and keyword (BM25) only: our chunks, one half of the hybrid retriever each (no quota);
- the common tutorial pipeline: the raw source files split by LangChain's
  RecursiveCharacterTextSplitter (1000 characters, 200 overlap), dense search only, top 4,
  with the same embedding model.
Each is asked the same standalone queries as the assistant.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.answering.chain import Assistant
from assistant.retrieval.hybrid import HybridRetriever
from evals.gold import Case
from evals.metrics.retrieval import evidence_rank, hit_at, reciprocal_rank


def _scores(ranks: list[int | None], k: int) -> dict[str, float]:
    return {
        "hit@1": round(statistics.mean(hit_at(r, 1) for r in ranks), 4),
        "hit@3": round(statistics.mean(hit_at(r, 3) for r in ranks), 4),
        f"hit@{k}": round(statistics.mean(hit_at(r, k) for r in ranks), 4),
        "mrr": round(statistics.mean(reciprocal_rank(r) for r in ranks), 4),
    }


def _tutorial_chunks(assistant: Assistant) -> list[str]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    store = assistant.retriever.store
    _, _, metadatas = store.documents(store.require_active())
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    paths = sorted({str(m["path"]) for m in metadatas})
    return [c for p in paths for c in splitter.split_text(Path(p).read_text(encoding="utf-8"))]


def baselines(assistant: Assistant, cases: Sequence[Case], predictions: Sequence[dict[str, Any]]) -> dict[str, Any]:
    asked = [
        (c, p.get("query", c.turns[-1]), p["language"]) for c, p in zip(cases, predictions, strict=True) if c.evidence
    ]
    results: dict[str, Any] = {}
    base = assistant.retriever
    variants = {
        "hybrid without language quota": {},
        "dense only": {"keyword_weight": 0.0},
        "keyword only (BM25)": {"dense_weight": 0.0},
    }
    for name, update in variants.items():
        settings = base.settings.model_copy(update={**update, "other_language_min": 0})
        retriever = HybridRetriever(base.store, base.embedder, settings)
        ranks = [
            evidence_rank([p.original for p in retriever.retrieve(q, lang, k=5)], c.evidence or "")
            for c, q, lang in asked
        ]
        results[name] = _scores(ranks, 5)
    chunks = _tutorial_chunks(assistant)
    vectors = np.array(base.embedder.embed_documents(chunks))
    ranks = []
    for case, query, _ in asked:
        order = np.argsort(-(vectors @ np.array(base.embedder.embed_query(query))))[:4]
        ranks.append(evidence_rank([chunks[i] for i in order], case.evidence or ""))
    results["tutorial (RecursiveCharacterTextSplitter 1000/200, dense, top 4)"] = _scores(ranks, 4)
    return results
