"""Language match: the whole answer is in the question's language.

The whole text is judged, as the asker reads it: an answer that frames French quotes with an
English sentence is not an English answer (the extractive responder without a model to translate
says so, and fails this check; that is the honest number).
"""

from __future__ import annotations

from assistant.answering.grounding import MARKER
from assistant.language import detect_language


def answer_language(answer: str) -> str:
    return detect_language(MARKER.sub("", answer), ("fr", "en"))


def language_match(answer: str, expected: str) -> bool:
    return answer_language(answer) == expected
