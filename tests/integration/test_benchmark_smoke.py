"""The benchmarks still run (their --quick versions): a smoke test, not a timing test."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from assistant.answering.chain import Assistant
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.settings import Settings
from benchmarks import memory
from tests.helpers import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def run_quick(module: str, out: Path, *args: str) -> dict[str, object]:
    subprocess.run(
        [sys.executable, "-m", module, "--quick", "--out", str(out), *args],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=600,
    )
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_load_benchmark_runs_without_errors(tmp_path: Path) -> None:
    result = run_quick("benchmarks.load", tmp_path / "load.json", "--skip-local")
    levels = result["extractive"]
    assert isinstance(levels, list)
    assert [level["errors"] for level in levels] == [0, 0], [level["error_samples"] for level in levels]
    assert all(level["answers"] > 0 and level["server_rss_mb"]["max"] > 0 for level in levels)


def test_ui_benchmark_runs_in_the_browser(tmp_path: Path) -> None:
    result = run_quick("benchmarks.ui", tmp_path / "ui.json")
    assert result["browser_answer"]["answers_with_citations"] == result["browser_answer"]["questions"]  # type: ignore[index]
    assert result["page_load"]["/widget/"]["non_loopback_requests"] == []  # type: ignore[index]


def test_memory_benchmark_splits_every_pass(indexed: Settings, embedder: SentenceEmbedder) -> None:
    assistant = Assistant.from_settings(indexed, responder="extractive", embedder=embedder)
    questions = ["Combien de bureaux l'Inserm a-t-il à l'étranger ?", "Who coordinates the PCT InterAging?"]
    tracemalloc.start()
    try:
        result = memory.run(assistant, questions, passes=2, clients=2)
    finally:
        tracemalloc.stop()
    snapshots = result["snapshots"]
    assert [s["after"] for s in snapshots][:3] == ["loading", "pass 1", "pass 2"]
    for split in (s["rss_mb"] for s in snapshots):
        assert split["anonymous"] > 0 and split["total"] == pytest.approx(
            split["model_file"] + split["other_files"] + split["anonymous"], abs=0.2
        )
    assert all(s["python_objects_mb"] > 0 for s in snapshots)
    assert isinstance(result["python_growth_after_pass_1"], list)
