"""Language match: the answer is in the question's language."""

from __future__ import annotations

from assistant.language import detect_language


def answer_language(answer: str) -> str:
    """Language of the answer's own words: extractive answers quote sources in their language,
    so the first line (the framing, or the model's first sentence) is what is judged."""
    return detect_language(answer.split("\n")[0], ("fr", "en"))


def language_match(answer: str, expected: str) -> bool:
    return answer_language(answer) == expected
