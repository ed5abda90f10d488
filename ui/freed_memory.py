"""Keep the server's memory from creeping up: how glibc's malloc serves large buffers and keeps freed ones.

The server answers on several threads, and glibc gives each thread's allocations an arena of their
own. Two settings decide how much freed memory stays resident (docs/benchmarks.md, "Memory"):
- Large blocks. glibc maps each block of 128 KB or more on its own and unmaps it when freed, but
  every such free raises that threshold to the block's size (up to 32 MB). After the first answers
  the model's and the embedder's per-answer buffers are carved from the arenas instead, and the
  holes they leave between live blocks stay resident: in a soak of the local model the server grew
  by about 40 MB an hour. `map_large_buffers()` fixes the threshold, which stops the creep.
- Freed pages. `malloc_trim(0)` returns the whole free pages of every arena; the server calls it
  after an answer, at most every 30 s.
Elsewhere than glibc (musl, macOS) both do nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
import time


def _glibc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 — raises AttributeError outside glibc
        return libc
    except (OSError, AttributeError):
        return None


GLIBC = _glibc()
MALLOC_TRIM = GLIBC.malloc_trim if GLIBC is not None else None
M_MMAP_THRESHOLD = -3  # from glibc's <malloc.h>


def map_large_buffers(threshold_bytes: int = 128 << 10) -> bool:
    """Give every block of `threshold_bytes` or more a mapping of its own, unmapped when freed; whether it took.

    A threshold set in glibc's own variable, MALLOC_MMAP_THRESHOLD_, is already fixed and is left as it is."""
    if GLIBC is None:
        return False
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        return True
    return GLIBC.mallopt(M_MMAP_THRESHOLD, threshold_bytes) == 1


class FreedMemoryTrimmer:
    """Call `after_answer()` when an answer ends; it trims if `every_s` seconds have passed since the last trim."""

    def __init__(self, every_s: float = 30.0) -> None:
        self.every_s = every_s
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def after_answer(self) -> bool:
        """Whether it trimmed this time."""
        if MALLOC_TRIM is None:
            return False
        with self._lock:
            now = time.monotonic()
            if now - self._last < self.every_s:
                return False
            self._last = now
        MALLOC_TRIM(0)  # a few milliseconds, outside the lock: answers keep flowing meanwhile
        return True
