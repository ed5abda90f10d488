"""Faithfulness: the share of an answer's sentences supported by the passages they cite.

A sentence is supported when every number (in digits or in words), code and CamelCase name in it
is among the facts its cited passages state (`assistant.answering.grounding.facts_supported`: "about 30"
is supported by "une trentaine", "USA" by "États-Unis"); given `words`, when every content word of it is
in its cited passages read in the answer's language (their text, or their sentences' translations from
the memory: "To apply, send a letter to the office" is not supported by a passage about the calls); and,
given a `similarity`, when it is close enough in meaning to one of them or to one of their sentences
(multilingual e5 cosine, so an English sentence can be supported by a French passage).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from assistant.answering.grounding import MARKER, facts_supported
from assistant.text import fold, passage_units, sentence_spans

Similarity = Callable[[str, list[str]], float]
Words = Callable[[str, list[str]], bool]  # statement, cited passages → its content words are theirs
MIN_SIMILARITY = 0.8


def faithfulness(
    answer: str, cited: Mapping[int, str], similarity: Similarity | None = None, words: Words | None = None
) -> float | None:
    """None for an answer with no sentence to check (an abstention)."""
    sentences = [line[a:b].strip() for line in answer.split("\n") for a, b in sentence_spans(line)]
    scored = []
    for sentence in sentences:
        body = MARKER.sub("", sentence).strip()
        if not body or body.endswith(":"):
            continue  # framing ("Here is what the sources say:") states nothing
        texts = [cited[int(n)] for n in re.findall(r"\[(\d+)\]", sentence) if int(n) in cited]
        supported = bool(texts) and facts_supported(body, " ".join(texts))
        if supported and words is not None:
            supported = words(body, texts)
        if supported and similarity is not None:
            supported = similarity(body, texts) >= MIN_SIMILARITY
        scored.append(supported)
    return sum(scored) / len(scored) if scored else None


# The judge reads, per answer, its numbered statements and the cited evidence, and rules on each.
JUDGE_PROMPT = (
    "You check answers against their sources. Sources may be in French or in English.\n\n"
    "Sources:\n{sources}\n\nStatements:\n{statements}\n\n"
    "For each statement, reply 'yes' if the sources state it (a translation counts), 'no' if they do not "
    "or if it adds anything the sources do not say. Reply with one line per statement, like:\n1: yes\n2: no"
)
Judge = Callable[[list[dict[str, str]], int], str]  # chat messages, max tokens → reply
Evidence = Callable[[str, list[str]], list[str]]  # statement, cited passages → what the judge reads


def statements(answer: str) -> list[tuple[str, list[int]]]:
    """The answer's checkable sentences, markers removed, each with the passage numbers it cites."""
    found = []
    for line in answer.split("\n"):
        for a, b in sentence_spans(line):
            sentence = line[a:b].strip()
            body = MARKER.sub("", sentence).strip(" -•")
            if body and not body.endswith(":"):
                found.append((body, [int(n) for n in re.findall(r"\[(\d+)\]", sentence)]))
    return found


def judged_faithfulness(answer: str, cited: Mapping[int, str], judge: Judge, evidence: Evidence) -> float | None:
    """Share of statements an LLM judge finds stated by their cited passages; None if nothing to judge.

    A statement copied word for word from one of its cited passages is stated by it, and is not put to
    the judge: a small local judge answers "no" to some such copies (docs/answering.md). The judge reads
    the others, translations included. `evidence` narrows each statement's cited passages to the few
    sentences that matter: a small local model reads about 55 tokens a second and judges worse when the
    sources are long.
    """
    found = statements(answer)
    if not found:
        return None
    checked = [(body, numbers) for body, numbers in found if not _copied(body, [cited.get(n, "") for n in numbers])]
    if not checked:
        return 1.0
    shown: list[str] = []
    for body, numbers in checked:
        texts = [cited[n] for n in numbers if n in cited]
        shown += [s for s in evidence(body, texts) if s not in shown] if texts else []
    sources = "\n".join(f"- {s}" for s in shown) or "(none)"
    listing = "\n".join(f"{i}: {body}" for i, (body, _) in enumerate(checked, start=1))
    reply = judge(
        [{"role": "user", "content": JUDGE_PROMPT.format(sources=sources, statements=listing)}], 8 * len(checked) + 8
    )
    verdicts = dict(re.findall(r"^\s*(\d+)\s*[:.)-]\s*(yes|no|oui|non)\b", reply, re.IGNORECASE | re.MULTILINE))
    # A statement the judge skipped counts as unsupported: the judge must vouch for every sentence.
    vouched = sum(verdicts.get(str(i), "").lower() in ("yes", "oui") for i in range(1, len(checked) + 1))
    return (len(found) - len(checked) + vouched) / len(found)


def _copied(statement: str, passages: list[str]) -> bool:
    """Whether `statement` is, word for word, a whole sentence or list item of one of `passages` (case,
    accents, spacing and punctuation aside): a part of one could leave out what changes its meaning."""
    words = _words(statement)
    return bool(words) and any(
        words == _words(unit[a:b]) for p in passages for unit in passage_units(p) for a, b in sentence_spans(unit)
    )


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))
