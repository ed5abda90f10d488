"""The quality gate: the extractive responder on the whole gold set must stay above evals/thresholds.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.chain import Assistant
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.settings import Settings
from evals.gold import load_gold
from evals.run import run
from tests.helpers import REPO

pytestmark = pytest.mark.integration


def test_extractive_quality_stays_above_the_committed_thresholds(
    indexed: Settings, embedder: SentenceEmbedder, tmp_path: Path
) -> None:
    thresholds = json.loads((REPO / "evals" / "thresholds.json").read_text(encoding="utf-8"))["extractive"]
    assistant = Assistant.from_settings(indexed, responder="extractive", embedder=embedder)
    overall = run(assistant, load_gold(), tmp_path, with_baselines=False)["overall"]
    too_low = {m: (overall[m], t) for m, t in thresholds["min"].items() if overall[m] < t}
    too_high = {m: (overall[m], t) for m, t in thresholds["max"].items() if overall[m] > t}
    assert not too_low and not too_high, f"quality dropped (measured, threshold): {too_low | too_high}"
