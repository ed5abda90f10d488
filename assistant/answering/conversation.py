"""Follow-up questions made standalone before retrieval ("and who coordinates it?").

With a chat model, the model rewrites the question from the conversation. Without one, a
deterministic rule: a question that leans on the conversation (short, or with a pronoun or
a leading "and") is searched together with the user's previous questions back to the last
one that stood on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.lexicon import DEPENDENT, IMPERSONAL, INVERTED_PRONOUN, NAME_BEFORE, NAMED_SUBJECT, POSSESSIVE
from assistant.text import ended, fold


@dataclass(frozen=True)
class Message:
    role: str  # "user" | "assistant"
    content: str


def depends_on_context(question: str) -> bool:
    """True for questions that do not stand on their own."""
    # French "le, la, les, en, y" are left out: mostly articles, too ambiguous to count as pronouns.
    folded = fold(question)
    own = _without_resumptive_pronouns(IMPERSONAL.sub("", fold(_without_named_possessives(question))))
    return len(re.findall(r"\w+", folded)) <= 4 or bool(DEPENDENT.search(own))


def _without_named_possessives(question: str) -> str:
    """`question` without the possessives that follow a name it gives (a capitalised word but the first)."""
    return POSSESSIVE.sub(
        lambda m: "" if NAME_BEFORE.search(question.strip()[: m.start()]) else m.group(0), question.strip()
    )


def _without_resumptive_pronouns(folded: str) -> str:
    """`folded` without the inverted pronouns that repeat a subject named before them."""
    for inverted in reversed(list(INVERTED_PRONOUN.finditer(folded))):
        if NAMED_SUBJECT.search(folded[: inverted.start()]):
            folded = folded[: inverted.start()] + folded[inverted.end() :]
    return folded


def rule_based_standalone(question: str, history: Sequence[Message]) -> str:
    """The question prefixed with the earlier questions it depends on (deterministic, no model)."""
    if not depends_on_context(question):
        return question
    earlier: list[str] = []
    for message in reversed(history):
        if message.role != "user":
            continue
        earlier.insert(0, message.content)
        if not depends_on_context(message.content) or len(earlier) == 3:
            break
    return " ".join([*map(ended, earlier), question])


def transcript(history: Sequence[Message], turns: int = 6) -> str:
    """The last turns as text for a rewriting prompt (answers shortened: their citations are not needed)."""
    lines = []
    for message in list(history)[-turns:]:
        content = message.content if message.role == "user" else message.content[:300]
        lines.append(f"{message.role}: {content}")
    return "\n".join(lines)
