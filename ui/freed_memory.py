"""Give back to the system the memory that glibc keeps after it is freed, at most once in a while.

The server answers on several threads, and glibc gives each thread's allocations an arena of
their own. The local model's and the embedder's short-lived buffers leave free memory in those
arenas, which glibc keeps for later: with 5 threads, one pass over the gold set added 106 MB of
resident memory, of which 1.5 MB was still in use (docs/benchmarks.md, "Memory"). `malloc_trim(0)`
returns the whole free pages of every arena (38 MB of those 106); the holes between live blocks
stay. Elsewhere than glibc it does nothing."""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return None


MALLOC_TRIM = _malloc_trim()


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
