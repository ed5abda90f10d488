"""Large freed buffers go back to the system, measured in fresh interpreters (seconds each)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import REPO
from ui.freed_memory import MALLOC_TRIM

pytestmark = [pytest.mark.integration, pytest.mark.skipif(MALLOC_TRIM is None, reason="glibc only")]


# Run in a fresh interpreter: the setting is process-wide, and glibc's threshold must start untouched.
HOLES_LEFT_BY_LARGE_BLOCKS = """
import sys
from benchmarks.memory import resident_by_mapping
from ui.freed_memory import map_large_buffers
if sys.argv[1] == "fixed":
    assert map_large_buffers()
warm = b"w" * (4 << 20)
del warm  # freeing a mapped block is what raises glibc's threshold to its size, unless it is fixed
blocks = [b"b" * (1 << 20) for _ in range(100)]
before = resident_by_mapping()["anonymous"]
del blocks[::2]  # every other one freed: each a hole between two live blocks
print(before - resident_by_mapping()["anonymous"])
"""


def returned_mb(threshold: str, environment: dict[str, str] | None = None) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")} | (environment or {})
    run = subprocess.run(
        [sys.executable, "-c", HOLES_LEFT_BY_LARGE_BLOCKS, threshold],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(run.stdout)


def test_freed_large_blocks_go_back_to_the_system_once_the_threshold_is_fixed() -> None:
    assert returned_mb("dynamic") < 10  # glibc's default: 50 MB freed, kept resident
    assert returned_mb("fixed") > 40


def test_a_threshold_chosen_in_glibcs_variable_is_kept() -> None:
    # 2 MB: the 1 MB blocks stay in the arena, so a 128 KB threshold set over it would show as returned memory
    assert returned_mb("fixed", {"MALLOC_MMAP_THRESHOLD_": str(2 << 20)}) < 10
