"""Deterministic stand-ins that are real subclasses of the product's classes."""

from __future__ import annotations

import hashlib
import math
import re

from assistant.embedding import SentenceEmbedder


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
