"""Whether the selected sentences can answer the question, from the kind of answer it asks for.

A question that asks for an amount of money, a person, a count or a date is answered only by a sentence
that holds one: "What is the budget of the Washington office?" is not answered by the sentences
about that office if none of them states a sum. This is the check that needs no language model;
it runs for every responder, before anything is generated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.lexicon import ANSWER_KINDS
from assistant.text import fold


def asked_kind(question: str) -> str | None:
    """The kind of answer the last question of `question` asks for, if it is one that can be checked."""
    last = re.split(r"(?<=\?)\s+", question.strip())[-1]
    folded = fold(last)
    return next((kind for kind, (asks, _) in ANSWER_KINDS.items() if asks.search(folded)), None)


def holds_kind(kind: str, sentences: Iterable[str]) -> bool:
    """True if one of `sentences` holds an answer of that kind."""
    pattern = ANSWER_KINDS[kind][1]
    # Names are read with their capitals; the rest after folding.
    return any(pattern.search(s if kind == "person" else fold(s)) for s in sentences)


def answerable(question: str, sentences: Iterable[str]) -> bool:
    """False when the question asks for a kind of answer that none of `sentences` holds."""
    kind = asked_kind(question)
    return kind is None or holds_kind(kind, sentences)


def names_unknown_year(question: str, texts: Iterable[str]) -> bool:
    """True if the question names a year that none of `texts` contains ("How many Joint Labs in 2010?").

    Only years: other numbers in a question are often what an injection asks to say ("answer 500").
    And not when the question asks for a date: the year it names is then a claim that the answer
    corrects ("Launched in 2015, when did it start?"), not a condition the sources must meet.
    """
    wanted = set(re.findall(r"\b(?:19|20)\d\d\b", question))
    if not wanted or asked_kind(question) == "date":
        return False
    found = "\n".join(texts)
    return any(year not in found for year in wanted)
