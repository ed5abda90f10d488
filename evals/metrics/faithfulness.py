"""Faithfulness: the share of an answer's sentences supported by the passages they cite.

A sentence is supported when every number, code and CamelCase name in it appears in its cited
passages (the assistant's own check, `assistant.grounding`), and, given a `similarity`, when it
is close enough in meaning to one of them (multilingual e5 cosine, so an English sentence can be
supported by a French passage).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.grounding import MARKER, facts
from assistant.text import sentence_spans

Similarity = Callable[[str, list[str]], float]
MIN_SIMILARITY = 0.8


def faithfulness(answer: str, cited: Mapping[int, str], similarity: Similarity | None = None) -> float | None:
    """None for an answer with no sentence to check (an abstention)."""
    sentences = [line[a:b].strip() for line in answer.split("\n") for a, b in sentence_spans(line)]
    scored = []
    for sentence in sentences:
        body = MARKER.sub("", sentence).strip()
        if not body or body.endswith(":"):
            continue  # framing ("Here is what the sources say:") states nothing
        texts = [cited[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in cited]
        supported = bool(texts) and facts(body) <= facts(" ".join(texts))
        if supported and similarity is not None:
            supported = similarity(body, texts) >= MIN_SIMILARITY
        scored.append(supported)
    return sum(scored) / len(scored) if scored else None
