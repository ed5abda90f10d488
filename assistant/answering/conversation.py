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

from assistant.answering.grounding import MARKER
from assistant.language import LANGUAGES, detect_language
from assistant.lexicon import (
    CONJUNCTIONS,
    CONTINUES,
    DEMONSTRATIVE,
    IMPERSONAL,
    INVERTED_PRONOUN,
    NAME_BEFORE,
    NAMED_SUBJECT,
    NAMING_CLAUSE,
    OPENS_ON_PREPOSITION,
    ORDINAL,
    ORDINALS,
    POSSESSIVE,
    PRONOUN,
    UNCOUNTED,
)
from assistant.retrieval.keyword import analyze
from assistant.syntax import has_verb
from assistant.text import ended, fold

_LIST_LENGTH = 10
_ITEM_WORDS = 8


@dataclass(frozen=True)
class Message:
    role: str  # "user" | "assistant"
    content: str


def depends_on_context(question: str) -> bool:
    """True for questions that do not stand on their own: a leading "and" unless what follows names a subject of
    its own with a verb ("And the LIEN agreements, how long does each last?"), four words or fewer unless they
    name what they ask about with a verb ("Who coordinates InterAging?"), a pronoun
    standing for something the question does not name, no verb and no name but Inserm's ("With which
    university, and in what country?"), or a count of nothing it names ("How many have been deployed so far?")."""
    # French "le, la, les, en, y" are left out: mostly articles, too ambiguous to count as pronouns.
    folded = fold(question)
    if CONTINUES.search(folded):
        conjunction, _, rest = question.strip().partition(" ")
        return not (fold(conjunction) in CONJUNCTIONS and _stands_after_a_conjunction(rest))
    opens_on_a_name = _opens_on_a_name(question)
    own = _without_pronouns_after_a_naming_clause(_without_named_possessives(question, opens_on_a_name))
    own = _without_resumptive_pronouns(IMPERSONAL.sub("", fold(own)), opens_on_a_name)
    return (
        (len(re.findall(r"\w+", folded)) <= 4 and not (_names_something(question) and has_verb(question)))
        or bool(PRONOUN.search(own))
        or (not has_verb(question) and not _names_something(question))
        or bool(UNCOUNTED.search(folded) and not NAME_BEFORE.search(question))
    )


def _stands_after_a_conjunction(rest: str) -> bool:
    """True when what follows a leading "and" asks about a name of its own with a verb: "And is Cardiff University
    a partner of the INPP?", "Et le PCT ClimateHealth, il compte combien de partenaires ?". Not when it opens on a
    preposition ("Et pour les bourses ERC, il se place où ?": "il" is still the earlier subject)."""
    return (
        has_verb(rest)
        and _names_something(" " + rest)  # the rest's first word may be the name ("And Harvard, …")
        and not OPENS_ON_PREPOSITION.match(fold(rest))
        and not depends_on_context(rest)
    )


def _names_something(question: str) -> bool:
    """True when `question` gives a name other than Inserm's: "Which Inserm unit partners with the Pittsburgh
    University School of Medicine?" stands on its own though the tagger reads "partners" as a noun."""
    return any(fold(name) != "inserm" for name in NAME_BEFORE.findall(question))


def _without_named_possessives(question: str, opens_on_a_name: bool = False) -> str:
    """`question` without the possessives that follow a name it gives (a capitalised word but the first, or
    the first when `opens_on_a_name`: "InterAging: who are its partners?")."""
    question = question.strip()
    return POSSESSIVE.sub(
        lambda m: "" if opens_on_a_name or NAME_BEFORE.search(question[: m.start()]) else m.group(0), question
    )


def _without_pronouns_after_a_naming_clause(question: str) -> str:
    """`question` without the pronouns that follow a clause naming what they stand for."""
    return PRONOUN.sub(lambda m: "" if NAMING_CLAUSE.search(question[: m.start()]) else m.group(0), question)


def _opens_on_a_name(question: str) -> bool:
    """True when the question's first word is a name: Inserm's, or one written with capitals inside
    ("Inserm abroad a-t-il…", "ClimateHealth a-t-il…", "INPP")."""
    first = question.split(maxsplit=1)[0] if question.strip() else ""
    return fold(first) == "inserm" or any(c.isupper() for c in first[1:])


def _without_resumptive_pronouns(folded: str, opens_on_a_name: bool = False) -> str:
    """`folded` without the inverted pronouns that repeat a subject named before them, with a determiner or,
    when `opens_on_a_name`, as the question's first word."""
    for inverted in reversed(list(INVERTED_PRONOUN.finditer(folded))):
        if opens_on_a_name or NAMED_SUBJECT.search(folded[: inverted.start()]):
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
    return " ".join([*map(ended, earlier), _with_answered_names(_with_listed_item(question, history), history)])


def _with_listed_item(question: str, history: Sequence[Message]) -> str:
    """`question` with the opening words of the list item its ordinal points at: "La première, elle dure combien
    de temps ?" after an answer listing "…the following three operating modalities:" then "exploratory visits of
    short duration (5-10 days)…" is about the exploratory visits. The item is cut before its first bracket or
    comma: its figures would read as the question's own, not as the answer."""
    pointed = ORDINAL.match(fold(question))
    answers = [m.content for m in history if m.role == "assistant"]
    if not pointed or not answers:
        return question
    lines = [MARKER.sub("", line).strip(" -") for line in answers[-1].split("\n")]
    heads = [i for i, line in enumerate(lines) if i and line.endswith(":") and len(lines) - i > 2]  # not the preface
    if not heads:
        return question
    items = [line for line in lines[heads[0] + 1 :] if line][:_LIST_LENGTH]
    position = ORDINALS[pointed.group(1)]
    if position >= len(items):
        return question
    opening = " ".join(re.split(r"[(,;:]", items[position])[0].split()[:_ITEM_WORDS])
    end = len(question) - len(question.lstrip()) + pointed.end()
    return f"{question[:end]} ({opening}){question[end:]}"


def _with_answered_names(question: str, history: Sequence[Message]) -> str:
    """`question` with the name the last answer gave to what it points at: "And how does Inserm describe that
    programme?" after an answer saying "…in synergy with the ProPsy exploratory programme…" is about ProPsy,
    a name no question gave. The name is a capitalised word within two words of the noun, in the last line
    of the answer that holds one."""
    answers = [m.content for m in history if m.role == "assistant"]
    pointing = list(DEMONSTRATIVE.finditer(question))
    if not answers or not pointing:
        return question
    language = detect_language(question, LANGUAGES)
    asked = set(re.findall(r"\w[\w'’-]*", " ".join(m.content for m in history if m.role == "user") + " " + question))
    for pointed in pointing:
        noun = set(analyze(pointed.group(2), language))
        for line in reversed(answers[-1].split("\n")):
            words = re.findall(r"\w[\w'’-]*", line)
            # The noun as a common word: "United" is no "unit".
            at = [i for i, w in enumerate(words) if w.islower() and noun and noun <= set(analyze(w, language))]
            if not at:
                continue
            near = range(max(1, at[-1] - 2), min(len(words), at[-1] + 3))  # a line's first word is capitalised anyway
            names = [words[i] for i in near if words[i][:1].isupper() and words[i] not in asked]
            if names:
                end = pointed.end()
                return f"{question[:end]} {' '.join(names)}{question[end:]}"
    return question


def transcript(history: Sequence[Message], turns: int = 6) -> str:
    """The last turns as text for a rewriting prompt (answers shortened: their citations are not needed)."""
    lines = []
    for message in list(history)[-turns:]:
        content = message.content if message.role == "user" else message.content[:300]
        lines.append(f"{message.role}: {content}")
    return "\n".join(lines)
