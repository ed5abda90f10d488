"""The server keeps large buffers out of glibc's arenas and gives freed pages back, at most once per period."""

from __future__ import annotations

import pytest

from benchmarks.memory import resident_by_mapping
from ui.freed_memory import MALLOC_TRIM, FreedMemoryTrimmer

pytestmark = pytest.mark.skipif(MALLOC_TRIM is None, reason="glibc only")


def test_freed_pages_kept_between_live_blocks_are_returned() -> None:
    blocks = [bytearray(48 << 10) for _ in range(1500)]  # 70 MB written, below glibc's mmap threshold
    del blocks[::2]  # half freed, each hole between two live blocks: nothing glibc trims on its own
    kept = resident_by_mapping()["anonymous"]
    assert FreedMemoryTrimmer(every_s=0).after_answer()
    assert resident_by_mapping()["anonymous"] < kept - 25
    assert len(blocks) == 750


def test_it_trims_at_most_once_per_period() -> None:
    trimmer = FreedMemoryTrimmer(every_s=3600)
    assert not trimmer.after_answer()  # the period starts when the server does
    trimmer._last -= 3600
    assert trimmer.after_answer()
    assert not trimmer.after_answer()
