"""Deterministic stand-ins that are real subclasses of the product's classes."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator

from assistant.retrieval.embedding import SentenceEmbedder


def count_words(text: str) -> int:
    """A token count close to a subword tokenizer's on French and English prose."""
    return len(re.findall(r"\w+|[^\w\s]", text))


class FakeEmbedder(SentenceEmbedder):
    """Vectors computed from the words of the text (hashed bag of words), calls counted."""

    def __init__(self, identity: str = "fake-embedder", dim: int = 64) -> None:
        super().__init__("fake", "query: ", "passage: ", identity=identity)
        self.dim = dim
        self.embedded: list[str] = []
        self.counted = 0

    def count_tokens(self, text: str) -> int:
        self.counted += 1
        return count_words(text)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        vectors = []
        for text in texts:
            vector = [0.0] * self.dim
            for word in re.findall(r"\w+", text.lower()):
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            vectors.append([x / norm for x in vector])
        return vectors


class ScriptedChatResponder:
    """A chat responder whose drafts are scripted; records what it was asked (a Responder)."""

    name = "scripted"

    def __init__(self, drafts: list[str], rewrites: list[str] | None = None, error: Exception | None = None) -> None:
        self.drafts = list(drafts)
        self.rewrites = list(rewrites or [])
        self.error = error
        self.questions: list[str] = []
        self.prompts: list[list[dict[str, str]]] = []

    def stream(self, question: str, passages: object, language: str) -> Iterator[str]:
        self.questions.append(question)
        if self.error:
            raise self.error
        draft = self.drafts.pop(0)
        for start in range(0, len(draft), 7):  # pieces, as a model streams them
            yield draft[start : start + 7]

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> str:
        self.prompts.append(messages)
        if self.error:
            raise self.error
        return self.rewrites.pop(0)
