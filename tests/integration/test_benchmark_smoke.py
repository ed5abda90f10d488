"""The benchmarks still run (their --quick versions): a smoke test, not a timing test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def run_quick(module: str, out: Path, *args: str) -> dict[str, object]:
    subprocess.run([sys.executable, "-m", module, "--quick", "--out", str(out), *args], cwd=REPO, check=True,
                   capture_output=True, timeout=600)
    result: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_load_benchmark_runs_without_errors(tmp_path: Path) -> None:
    result = run_quick("benchmarks.load", tmp_path / "load.json", "--skip-local")
    levels = result["extractive"]
    assert isinstance(levels, list) and [level["errors"] for level in levels] == [0, 0]
    assert all(level["answers"] > 0 and level["server_rss_mb"]["max"] > 0 for level in levels)


def test_ui_benchmark_runs_in_the_browser(tmp_path: Path) -> None:
    result = run_quick("benchmarks.ui", tmp_path / "ui.json")
    assert result["browser_answer"]["answers_with_citations"] == result["browser_answer"]["questions"]  # type: ignore[index]
    assert result["page_load"]["/widget/"]["non_loopback_requests"] == []  # type: ignore[index]
