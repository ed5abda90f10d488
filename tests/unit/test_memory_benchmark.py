"""`benchmarks.memory`: resident memory is attributed to the model file, other files or the process itself."""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pytest

from benchmarks.memory import LIBC, resident_by_mapping, snapshot

SMAPS = """\
55d0c0a00000-55d0c0b00000 rw-p 00000000 00:00 0                          [heap]
Size:               1024 kB
Rss:                 800 kB
7f0000000000-7f0040000000 r--p 00000000 08:01 1234                       /data/models/qwen.gguf
Size:            1048576 kB
Rss:              512000 kB
VmFlags: rd mr mw me
7f1000000000-7f1000100000 r-xp 00000000 08:01 99                         /usr/lib/libllama.so
Rss:                2048 kB
7f2000000000-7f2000200000 rw-p 00000000 00:00 0
Rss:                1024 kB
"""


def test_each_mapping_is_counted_where_it_belongs(tmp_path: Path) -> None:
    (tmp_path / "smaps").write_text(SMAPS)
    assert resident_by_mapping(tmp_path / "smaps") == {
        "model_file": 500.0,
        "other_files": 2.0,
        "anonymous": 1.8,
        "total": 503.8,
    }


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="Linux /proc only")
def test_touched_memory_shows_up_in_its_own_column(tmp_path: Path) -> None:
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"\1" * (16 << 20))
    before = resident_by_mapping()
    block = np.ones(32 << 20, dtype=np.uint8)  # 32 MB written: anonymous pages
    with model.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        assert sum(mapped[i] for i in range(0, len(mapped), 4096)) == 16 << 8  # every page read
        after = resident_by_mapping()
    assert after["model_file"] - before["model_file"] >= 15
    assert after["anonymous"] - before["anonymous"] >= 30
    assert block.sum() == 32 << 20


@pytest.mark.skipif(LIBC is None, reason="glibc ≥ 2.33 only")
def test_malloc_in_use_follows_allocations_and_frees() -> None:
    taken = snapshot()["malloc_mb"]
    blocks = [bytearray(64 << 10) for _ in range(200)]  # 12.5 MB of mid-sized blocks, under mmap's threshold
    held = snapshot()["malloc_mb"]
    assert held["in_use"] - taken["in_use"] >= 12
    del blocks
    assert snapshot()["malloc_mb"]["in_use"] <= held["in_use"] - 12
