"""Answer correctness: every `must` group matches the answer (case- and accent-insensitive)."""

from __future__ import annotations

import re

from assistant.text import fold


def answer_correct(answer: str, must: list[list[str]]) -> bool:
    text = fold(answer)
    return all(any(re.search(fold(pattern), text) for pattern in group) for group in must)
