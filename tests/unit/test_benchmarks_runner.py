"""`python -m benchmarks`: which processes it starts, and what it refuses."""

from __future__ import annotations

import sys

import pytest

from benchmarks.__main__ import command, main


def test_each_benchmark_runs_as_its_own_module() -> None:
    assert command("answering", quick=False) == [sys.executable, "-m", "benchmarks.answering"]
    assert command("scale-server", quick=True) == [
        sys.executable,
        "-m",
        "benchmarks.scale",
        "--store",
        "server",
        "--quick",
    ]


def test_an_unknown_name_is_refused_with_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["answering", "speed"])
    assert exit_info.value.code == 2
    assert "unknown benchmark speed: choose from ingest," in capsys.readouterr().err


def test_quick_skips_the_benchmarks_without_a_smoke_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["answering", "chunk_sizes", "--quick"]) == 0  # neither has a --quick: nothing to run
    assert capsys.readouterr().out == ""
