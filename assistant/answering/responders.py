"""Responders turn a question and its passages into a draft answer with [n] markers.

- `extractive`: no LLM; quotes the passages' sentences closest to the question.
- `local`: Qwen2.5-Coder-1.5B-Instruct (GGUF from PyPI parts) run by llama-cpp-python.
- `openai`: any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama).
The last two, and any LangChain chat model given to `make_chain`, are a `ChatResponder` over a
chat model (`assistant.answering.chat_models`) that writes the answer, or, with
`answer.compose = "quote"`, a `QuotingResponder` whose chat model only translates the quotes.
The chain checks every draft (`assistant.answering.grounding`); responders only write.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import BaseMessage, MessageLikeRepresentation
from langchain_core.runnables import Runnable, RunnableConfig

from assistant.answering import prompts
from assistant.answering.answerability import asked_kind, names_person, nations, unnamed
from assistant.answering.chat_models import BACKEND_ERRORS, LlamaCppChatModel, backend_unavailable, openai_chat_model
from assistant.answering.grounding import facts
from assistant.errors import ConfigurationError
from assistant.language import LANGUAGES, detect_language, other_language
from assistant.lexicon import (
    ANSWER_TYPES,
    APPROXIMATE_NUMERAL,
    ASKS_OTHERS,
    ASKS_REASON,
    ASKS_ROLE,
    ASKS_WHICH,
    CONSEQUENCE,
    DEMONSTRATIVE,
    MEMBER_WORDS,
    MEMBERS,
    NAME_BEFORE,
    NAMES_PAGE,
    NUMBER_WORDS,
    OPENS_ON_PRONOUN,
    OPENS_ON_YEAR,
    PAGES,
    REFERS_BACK,
    SET_ASIDE,
    YEAR,
)
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.keyword import analyze, query_groups
from assistant.schema import Passage
from assistant.settings import LLMSettings
from assistant.text import asked, asks, bare, fold, is_item, list_heads, passage_units, questions, under_heading

# What a list's items are ("partners", "units"), and the institute every list is of: no sign of which list a
# question asks for.
_MEMBER_TERMS = {
    term for word in MEMBER_WORDS | {"inserm"} for language in ("fr", "en") for term in analyze(word, language)
}
# The kinds of answer a list's items give: what they are, where they are.
_LISTED = (None, "place", "institution", "unit", "disease")


class Responder(Protocol):
    name: str

    def stream(
        self, question: str, passages: Sequence[Passage], language: str, config: RunnableConfig | None = None
    ) -> Iterator[str]:
        """Pieces of the draft answer, markers [n] numbering `passages` from 1 (`config`: LangChain's callbacks)."""
        ...


class ExtractiveResponder:
    """Quotes, verbatim, the sentences of the passages that are closest to the question."""

    name = "extractive"

    def __init__(
        self, embedder: SentenceEmbedder, max_sentences: int = 3, margin: float = 0.03, passage_margin: float = 0.05
    ) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.margin = margin
        self.passage_margin = passage_margin
        self._vectors: dict[str, np.ndarray] = {}  # sentence → vector: passages recur across questions

    def _embed(self, sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._vectors]
        if missing:
            if len(self._vectors) > 50_000:
                self._vectors.clear()
            for sentence, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self._vectors[sentence] = np.asarray(vector, dtype=np.float32)
        return np.stack([self._vectors[s] for s in sentences])

    def select(
        self,
        question: str,
        passages: Sequence[Passage],
        max_sentences: int | None = None,
        margin: float | None = None,
        continued: bool = True,
    ) -> list[tuple[int, str]]:
        """(passage number, sentence) pairs that answer best, in reading order; with `continued`, a quoted
        sentence comes with the next one when that one refers back to it ("These actions may thus lead to…")."""
        seen: set[str] = set()
        units = [
            (n, position, text)
            for n, p in enumerate(passages, start=1)
            for position, text in enumerate(passage_units(p.original))
            if text not in seen and not seen.add(text)  # type: ignore[func-returns-value]
        ]
        # "What three roles does the French page give the network?" is answered from the French page; a question
        # asking two things may name a page for one of them only, and an earlier question's page is not the
        # follow-up's ("D'après la page anglaise, …?" then "Et l'Inserm, il participe à combien de projets…?").
        page = _named_page(_last_questions(question)) if len(asks(question)) == 1 else None
        if page and any(passages[n - 1].language == page for n, _, _ in units):
            units = [unit for unit in units if passages[unit[0] - 1].language == page]
        if not units:
            return []
        contextual = [under_heading(passages[n - 1].topic, text) for n, _, text in units]
        # Closeness is to the whole question: each part of it alone ("and with which countries?") loses its topic.
        vectors = self._embed(contextual)
        closeness = vectors @ np.asarray(self.embedder.embed_query(question), dtype=np.float32)
        # A follow-up searched after the earlier questions: its answer is as close to what it asks now as to the
        # topic ("Et en quelle année la révision a-t-elle commencé ?" after the policy's key words).
        recent = _last_questions(question)
        if recent != asked(question):
            closeness = (closeness + vectors @ np.asarray(self.embedder.embed_query(recent), dtype=np.float32)) / 2
        terms = [self._terms(text, passages[n - 1], unit) for (n, _, unit), text in zip(units, contextual, strict=True)]
        numbers = [facts(text) for text in contextual]
        margin = self.margin if margin is None else margin
        elsewhere = _about_another(question, units, terms)
        chosen: list[int] = []
        # A question that asks two things ("how many …, and with which countries?") gets sentences for each.
        for ask in asks(question):
            scores = closeness + self._bonus(ask, [unit for _, _, unit in units], terms, numbers)
            order = [i for i in sorted(range(len(units)), key=lambda i: -scores[i]) if i not in elsewhere]
            best = float(scores[order[0]])
            limit = max_sentences or self.max_sentences
            # The best sentence's own passage is read a little further: a sentence there often states the rest
            # ("What are the two calls called?" is closest to what the calls are for, the names come just before),
            # and quoting it cites no other passage.
            lead, wider = units[order[0]][0], max(margin, self.passage_margin)
            picked = [i for i in order if scores[i] >= best - (wider if units[i][0] == lead else margin)][:limit]
            own = [i for i in order if units[i][0] == lead]
            chosen += picked + _named_person(ask, picked, order[:limit], own, scores, [unit for _, _, unit in units])
        chosen = _naming_all(question, passages, units, list(dict.fromkeys(chosen)), order)
        chosen = self._with_asked_list(question, passages, units, chosen)
        chosen = self._with_list_items(units, chosen)
        chosen = self._with_introductions(units, passages, question, chosen)
        if ASKS_OTHERS.search(fold(_last_questions(question))):
            chosen = self._with_other_items(units, chosen)
        if continued:
            chosen = self._with_antecedents(units, chosen)
            chosen = self._with_continuations(units, chosen)
            chosen = self._with_matching_items(units, terms, question, chosen)
        if ASKS_REASON.search(fold(questions(asked(question))[-1])):
            chosen = self._with_reasons(units, chosen)
        return [(units[i][0], units[i][2]) for i in sorted(chosen, key=lambda i: (units[i][0], units[i][1]))]

    @staticmethod
    def _bonus(ask: str, units: list[str], terms: list[set[str]], numbers: list[set[str]]) -> np.ndarray:
        """What says a unit answers `ask`: the words of its questions found in the unit's `terms`, their
        numbers and codes among its `numbers`, and the kind of answer the last one asks for ("who" → a name)."""
        question = asked(ask)
        wanted_numbers = {f for f in facts(question) if any(c.isdigit() for c in f)}
        # The kind of answer is asked by the last question: a follow-up is searched after the earlier ones.
        last = questions(question)[-1]
        answer_type = next((pattern for asks, pattern in ANSWER_TYPES if asks.search(fold(last))), None)
        # A role's holder is a person: "Karolinska Institute" names no one who coordinates.
        answers = names_person if ASKS_ROLE.search(fold(last)) else (answer_type.search if answer_type else None)
        words = _words_by_recency(question)
        found = [{word for word in words if any(term in unit_terms for term in word)} for unit_terms in terms]
        # A word found in few of the candidate units tells them apart ("ERC"); one found in all ("Inserm") does
        # not. Rarity is 1 for a word in a single unit, near 0 for a word in every one.
        units_with = Counter(word for words_in in found for word in words_in)
        rarity = {
            word: math.log((len(units) + 1) / (count + 0.5)) / math.log((len(units) + 1) / 1.5)
            for word, count in units_with.items()
        }
        return np.array(
            [
                0.02 * sum(words[word] * rarity[word] for word in found[i])
                + 0.02 * len(wanted_numbers & numbers[i])
                + (0.03 if answers and answers(unit) else 0.0)
                for i, unit in enumerate(units)
            ],
            dtype=np.float32,
        )

    @staticmethod
    def _terms(text: str, passage: Passage, unit: str) -> set[str]:
        """A unit's terms, read under its heading, with those of its translation: a question's words meet
        a sentence written in the other language through the translation memory."""
        translation = passage.translations.get(bare(unit), "")
        return set(analyze(text, passage.language)) | set(analyze(translation, other_language(passage.language)))

    def _with_asked_list(
        self, question: str, passages: Sequence[Passage], units: list[tuple[int, int, str]], chosen: list[int]
    ) -> list[int]:
        """A question that asks which members of a list ("In which countries are the Joint Labs' partners?",
        "quelles unités ont un joint lab avec un partenaire canadien") gets the list's items, from every passage
        the list runs through: the items closest to the question are rarely all of them, and a list titled by a
        heading ("Les Joints Labs au 15.10.2025") has no introduction that brings them. The list is the one whose
        title or passage shares the most words with the question, besides what its items are (partners, units);
        of its items, those naming what the question names (a country, a city, a code), if any do."""
        last = fold(_last_questions(question))
        # Not a value ("lequel des deux appels retient le plus…", "Combien…") that a list's item would seem to hold.
        if not (ASKS_WHICH.search(last) and MEMBERS.search(last)) or asked_kind(question) not in _LISTED:
            return chosen
        lists: dict[str, list[int]] = {}
        leads: dict[str, set[str]] = {}
        by_passage = {n: passage_units(p.original) for n, p in enumerate(passages, start=1)}
        heads = {n: list_heads(own) for n, own in by_passage.items()}
        for i, (n, _, text) in enumerate(units):
            if head := heads[n].get(text):
                lists.setdefault(head, []).append(i)
                passage = passages[n - 1]
                lead = f"{passage.topic} {head} {by_passage[n][0]}"
                leads.setdefault(head, set()).update(self._terms(lead, passage, head))
        asked_terms = (set(analyze(question, "fr")) | set(analyze(question, "en"))) - _MEMBER_TERMS
        # A list whose item the closest sentences already hold is asked about too ("Which unit partners with
        # Pittsburgh?" names no Joint Lab).
        shared = {
            head: len(terms & asked_terms) + bool(set(lists[head]) & set(chosen)) for head, terms in leads.items()
        }
        best = max(shared.values(), default=0)
        if not best:
            return chosen
        items = [i for head, indices in lists.items() if shared[head] == best for i in indices]
        return list(dict.fromkeys(chosen + _naming_most(question, items, units)))

    @staticmethod
    def _with_list_items(units: list[tuple[int, int, str]], chosen: list[int]) -> list[int]:
        """A sentence that introduces a list ("… sont :") comes with the list's items."""
        extended = list(chosen)
        for i in chosen:
            if _introduces_a_list(units[i][2]):
                extended += _list_around(units, i + 1)
        return list(dict.fromkeys(extended))

    def _with_introductions(
        self, units: list[tuple[int, int, str]], passages: Sequence[Passage], question: str, chosen: list[int]
    ) -> list[int]:
        """A list item that only restates the question ("The Helmholtz Institute in Munich," for "What's the
        Helmholtz Institute in Munich doing with Inserm?") comes with the sentence that introduces its list,
        which says what the item belongs to (ClimateHealth's "Five foreign partners are expected to form this
        network:"). An introduction that points back ("this network") comes after its passage's first
        sentence, which names what it points at ("The ClimateHealth PCT is dedicated to…")."""
        asked_terms = set(analyze(question, "fr")) | set(analyze(question, "en"))
        extended = list(chosen)
        for i in chosen:
            items = _list_around(units, i)
            n, _, text = units[i]
            if items and items[0] > 0 and self._terms(bare(text), passages[n - 1], text) <= asked_terms:
                introduction = items[0] - 1
                if units[introduction][0] == n and _introduces_a_list(units[introduction][2]):
                    if DEMONSTRATIVE.search(units[introduction][2]):
                        first = next(j for j, unit in enumerate(units) if unit[0] == n)
                        extended += [first] if first < introduction else []
                    extended.append(introduction)
        return list(dict.fromkeys(extended))

    @staticmethod
    def _with_other_items(units: list[tuple[int, int, str]], chosen: list[int]) -> list[int]:
        """For "who else", a list item comes with the other items of its list ("Qui d'autre en fait partie ?"
        after the Ruijin Hospital's programme: the programme's other members)."""
        return list(dict.fromkeys(chosen + [j for i in chosen for j in _list_around(units, i)]))

    @staticmethod
    def _with_matching_items(
        units: list[tuple[int, int, str]], terms: list[set[str]], question: str, chosen: list[int]
    ) -> list[int]:
        """A list filtered by the one place the question names ("Which Joint Labs are based in Lyon?"): the
        few items that hold it, when only items do. Not when the question also names the item it means."""
        items = {i for i, (_, _, text) in enumerate(units) if is_item(text)}
        last = _last_questions(question)
        names = query_groups(" ".join(NAME_BEFORE.findall(last)))
        places = query_groups(" ".join(re.findall(r"\b(?:in|à|au|aux|en|at|near)\s+([A-ZÀ-Ý][\w-]+)", last)))
        holders = {word: [i for i in range(len(units)) if any(term in terms[i] for term in word)] for word in names}
        # A name only a few items hold tells them apart ("Lyon"); one the text around them holds does not.
        telling = [word for word, holding in holders.items() if holding and set(holding) <= items and len(holding) <= 4]
        if len(telling) != 1 or telling[0] not in places or 2 * len(holders[telling[0]]) >= len(items):
            return chosen
        return list(dict.fromkeys(chosen + holders[telling[0]]))

    @staticmethod
    def _with_antecedents(units: list[tuple[int, int, str]], chosen: list[int]) -> list[int]:
        """A sentence that opens on a personal pronoun comes after the sentence of its passage before it, which
        names what the pronoun stands for ("It is also meant to serve as a strategic committee" needs "Inserm
        abroad is meant to become a meeting place…" to say which network). Not a list's last item: the pronoun
        after a list stands for what the list belongs to."""
        extended = list(chosen)
        for i in chosen:
            n, position, text = units[i]
            if (
                position
                and i > 0
                and units[i - 1][0] == n
                and not is_item(units[i - 1][2])
                and OPENS_ON_PRONOUN.match(fold(bare(text)))
            ):
                extended.insert(extended.index(i), i - 1)
        return list(dict.fromkeys(extended))

    @staticmethod
    def _with_continuations(units: list[tuple[int, int, str]], chosen: list[int]) -> list[int]:
        """A sentence comes with the next one of its passage when that one refers back to it, or tells what
        changed after it ("À sa création en 2024, Inserm abroad se déployait aux États-Unis…" / "En 2025, de
        nouveaux représentants…": what stands now)."""
        extended = list(chosen)
        for i in chosen:
            if i + 1 < len(units) and units[i + 1][0] == units[i][0]:
                following = fold(bare(units[i + 1][2]))
                if REFERS_BACK.match(following) or _later(following, units[i][2]):
                    # One that introduces a list comes with it ("Il fédère… des chercheurs :").
                    extended += [i + 1] + (_list_around(units, i + 2) if _introduces_a_list(units[i + 1][2]) else [])
        return list(dict.fromkeys(extended))

    @staticmethod
    def _with_reasons(units: list[tuple[int, int, str]], chosen: list[int]) -> list[int]:
        """For a "why", a sentence that states a consequence comes with the sentence before it, its reason."""
        extended = list(chosen)
        for i in chosen:
            if i > 0 and units[i - 1][0] == units[i][0] and CONSEQUENCE.search(fold(units[i][2])):
                extended.append(i - 1)
        return list(dict.fromkeys(extended))

    def focus(self, question: str, passages: Sequence[Passage], max_sentences: int = 6) -> list[Passage]:
        """The passages cut down to their sentences closest to the question, numbering kept.

        A language model reads about 55 tokens a second here: handing it a few sentences
        instead of whole passages is what keeps its first token within seconds.
        """
        return _cut_to(
            passages, self.select(question, passages, max_sentences=max_sentences, margin=0.1, continued=False)
        )

    def quoted(self, question: str, passages: Sequence[Passage]) -> list[Passage]:
        """The passages cut down to the sentences this responder quotes, numbering kept."""
        return _cut_to(passages, self.select(question, passages))

    def stream(
        self, question: str, passages: Sequence[Passage], language: str, config: RunnableConfig | None = None
    ) -> Iterator[str]:
        """The chosen sentences, each in the asker's language when the translation memory has it."""
        selected = [(n, bare(text)) for n, text in self.select(question, passages)]
        if not selected:
            return
        quoted = [_in_language(sentence, passages[n - 1], language) for n, sentence in selected]
        if any(q is None for q in quoted):
            intro = prompts.EXTRACTIVE_INTRO_OTHER_LANGUAGE
        elif any(passages[n - 1].language != language for n, _ in selected):
            intro = prompts.EXTRACTIVE_INTRO_TRANSLATED
        else:
            intro = prompts.EXTRACTIVE_INTRO
        lines = [f"- {q or sentence} [{n}]" for (n, sentence), q in zip(selected, quoted, strict=True)]
        yield intro[language] + "\n" + "\n".join(lines)


def _naming_all(
    question: str, passages: Sequence[Passage], units: list[tuple[int, int, str]], chosen: list[int], order: list[int]
) -> list[int]:
    """When the chosen sentences' passages miss a name the question gives, the closest sentence of a passage
    that names it comes too: the question crosses two passages ("Parmi les pays des accords LIEN, lequel a aussi
    rejoint Inserm abroad en 2025 ?": the 2025 sentence's passage does not say LIEN)."""

    def whole(indices: list[int]) -> list[str]:
        return [t for n in dict.fromkeys(units[i][0] for i in indices) for t in passages[n - 1].in_both_languages]

    missing = unnamed(question, whole(chosen))
    read = {units[i][0] for i in chosen}  # a passage is read whole: its first sentence in `order` stands for it
    for i in order:
        if not missing:
            break
        if units[i][0] not in read:
            read.add(units[i][0])
            if len(now := unnamed(question, whole([*chosen, i]))) < len(missing):
                chosen, missing = [*chosen, i], now
    return chosen


def _naming_most(question: str, items: list[int], units: list[tuple[int, int, str]]) -> list[int]:
    """The `items` that name most of what the question names that some items do (a name they write with a
    capital, a unit's code, a country by any of its names); all of them when it names none of those. Not what
    the members are: "dans quels pays" names no "Pays-Bas"."""
    asked_words = set(re.findall(r"[\w-]+", fold(question))) - MEMBER_WORDS
    asked_nations = nations(question)

    def named(i: int) -> int:
        text = units[i][2]
        capitalised = {fold(w) for w in re.findall(r"\b[A-ZÀ-Ý][\w-]*", text)}
        parts = {p for w in capitalised for p in (w, *w.split("-"))}
        return len(parts & asked_words) + len(nations(text) & asked_nations)

    counts = {i: named(i) for i in items}
    most = max(counts.values(), default=0)
    return [i for i in items if counts[i] == most]


def _named_page(question: str) -> str | None:
    """The language of the one source page `question` names ("d'après la page anglaise", "the French page"), if
    it names one."""
    named = {PAGES[m.group(m.lastindex or 0)] for m in NAMES_PAGE.finditer(fold(question))}
    return named.pop() if len(named) == 1 else None


def _cut_to(passages: Sequence[Passage], selected: list[tuple[int, str]]) -> list[Passage]:
    """Each passage with only its `selected` (passage number, sentence) sentences."""
    kept: dict[int, list[str]] = {}
    for n, text in selected:
        kept.setdefault(n, []).append(text)
    return [replace(p, text="\n".join(kept.get(n, []))) for n, p in enumerate(passages, start=1)]


def _about_another(question: str, units: list[tuple[int, int, str]], terms: list[set[str]]) -> set[int]:
    """The units that open on a pronoun in a passage holding none of the names the question gives (in its
    units' `terms`), when another passage holds one: after a question on the INPP, "Il a été lancé en octobre
    2025" speaks of ClimateHealth. Never every unit: a question whose names only such passages hold keeps them all."""
    spoken = [name for q in questions(asked(question)) for name in NAME_BEFORE.findall(q) if fold(name) != "inserm"]
    names = query_groups(" ".join(spoken))
    holding = {
        n for (n, _, _), unit_terms in zip(units, terms, strict=True) if any(t in unit_terms for g in names for t in g)
    }
    if not holding:
        return set()
    about_another = {
        i for i, (n, _, text) in enumerate(units) if n not in holding and OPENS_ON_PRONOUN.match(fold(bare(text)))
    }
    return about_another if len(about_another) < len(units) else set()


def _later(following: str, sentence: str) -> bool:
    """Whether `following` opens on a year after every year `sentence` states ("En 2025, …" after "… en 2024")."""
    opening = OPENS_ON_YEAR.match(following)
    years = [int(y) for y in YEAR.findall(sentence)]
    return bool(opening and years and int(opening.group(1)) > max(years))


def _introduces_a_list(unit: str) -> bool:
    """Whether a sentence introduces the list after it ("Five foreign partners are expected…:")."""
    return unit.rstrip().endswith(":")


def _list_around(units: list[tuple[int, int, str]], i: int) -> list[int]:
    """The list items of unit `i`'s passage that run on, with no other unit between, from or to `i` (fewer
    than ten units away); none when `i` is no item."""

    def item(j: int) -> bool:
        return 0 <= j < len(units) and units[j][0] == units[i][0] and is_item(units[j][2]) and abs(j - i) < 10

    if not item(i):
        return []
    first, last = i, i
    while item(first - 1):
        first -= 1
    while item(last + 1):
        last += 1
    return list(range(first, last + 1))


def _named_person(
    ask: str, picked: list[int], read: list[int], own: list[int], scores: np.ndarray, units: list[str]
) -> list[int]:
    """For a question about who holds a role, when none of the sentences `picked` names a person, the closest
    one that does among the closest `read` (those the answerability check reads, within 0.1 of the best), or
    else in the best sentence's `own` passage, which is about what the question asks: "Who runs the climate
    and health programme?" is answered by "Sa coordination … Rémy Slama", which reads less like the question
    than the sentences about the programme."""
    # Any of its questions: the last one may be the model's translation ("Who scientifically pilots …").
    if not any(ASKS_ROLE.search(fold(q)) for q in questions(asked(ask))) or any(names_person(units[i]) for i in picked):
        return []
    best = float(scores[read[0]])
    closest = [i for i in read if scores[i] >= best - 0.1] + own
    return [i for i in closest if names_person(units[i])][:1]


def _last_questions(question: str) -> str:
    """The last question of `question` in each language: a follow-up and its translation, without the earlier
    questions it was searched after (nor an instruction appended after them)."""
    last = {detect_language(part, LANGUAGES): part for part in questions(asked(question))}
    return " ".join(last.values())


def _words_by_recency(question: str) -> dict[tuple[str, ...], float]:
    """The words of `question` and their weight: 1 in its last question of each language (a follow-up and
    its translation), 0.5 only in earlier ones (the questions a follow-up was searched after). Not the
    names it sets aside ("Outre le Karolinska Institute, quel partenaire…"): they are not what is asked."""
    recent = set(query_groups(_last_questions(question)))
    names = " ".join(re.findall(r"\b[A-ZÀ-Ý][\w-]+", " ".join(m.group(1) for m in SET_ASIDE.finditer(question))))
    aside = set(query_groups(names))
    return {word: 1.0 if word in recent else 0.5 for word in query_groups(question) if word not in aside}


def _in_language(sentence: str, passage: Passage, language: str) -> str | None:
    """`sentence` of `passage` in `language`: itself, its translation from the memory, or None."""
    return sentence if passage.language == language else passage.translations.get(sentence)


class ChatResponder:
    """Drafts with a LangChain chat model: the bundled local model, an OpenAI-compatible server, or any other."""

    def __init__(self, model: BaseChatModel, name: str) -> None:
        self.model = model
        self.name = name

    def stream(
        self, question: str, passages: Sequence[Passage], language: str, config: RunnableConfig | None = None
    ) -> Iterator[str]:
        try:
            for chunk in self.model.stream(prompts.messages(question, passages, language), config):
                if chunk.text:
                    yield chunk.text
        except BACKEND_ERRORS as error:
            raise backend_unavailable(error) from None

    def _bound(self, max_tokens: int, **kwargs: Any) -> Runnable[LanguageModelInput, BaseMessage]:
        """The model with these call options; `max_tokens` only if it has such a setting (only
        such a model is known to accept it per call)."""
        if "max_tokens" in type(self.model).model_fields:
            kwargs["max_tokens"] = max_tokens
        return self.model.bind(**kwargs)

    def translated(self, sentence: str, language: str, config: RunnableConfig | None = None) -> Iterator[str]:
        """Pieces of `sentence` in `language`; the sentence itself if the model gives nothing."""
        # About two tokens a word is room for the translation; one line, as the prompt asks.
        model = self._bound(2 * len(sentence.split()) + 20, stop=["\n"])
        wrote = False
        try:
            for chunk in model.stream(prompts.translate_messages(_plain_numbers(sentence), language), config):
                if chunk.text.strip() or wrote:
                    piece = chunk.text if wrote else chunk.text.lstrip()
                    wrote = True
                    yield piece
        except BACKEND_ERRORS as error:
            raise backend_unavailable(error) from None
        if not wrote:
            yield sentence

    def complete(
        self,
        messages: Sequence[MessageLikeRepresentation],
        max_tokens: int,
        config: RunnableConfig | None = None,
        background: bool = False,
    ) -> str:
        """The reply to `messages`: LangChain messages, or {"role", "content"} dicts (as the evals' judge sends).

        A `background` reply (suggested follow-ups) stops, with BackendUnavailableError, when a question waits
        for the local model: a server answers several requests at once, llama.cpp one."""
        options = {"yields": True} if background and isinstance(self.model, LlamaCppChatModel) else {}
        try:
            return self._bound(max_tokens, **options).invoke(messages, config).text
        except BACKEND_ERRORS as error:
            raise backend_unavailable(error) from None


def _plain_numbers(sentence: str) -> str:
    """`sentence` with its French approximate numerals in digits: "une trentaine de propositions" becomes
    "environ 30 propositions", which the model translates without changing the figure."""
    return APPROXIMATE_NUMERAL.sub(lambda m: f"environ {NUMBER_WORDS[m.group(1)]} ", sentence)


class QuotingResponder:
    """Quotes the sentences the extractive responder chooses; a chat model translates those written
    in the other language that the translation memory lacks, one sentence at a time, so the answer
    is all in the asker's language.

    A small model that writes the answer itself picks a wrong sentence or drops a fact more often
    than the extractive choice does (docs/answering.md); translating one sentence is a narrower task.
    """

    def __init__(self, extractive: ExtractiveResponder, chat: ChatResponder) -> None:
        self.extractive = extractive
        self.chat = chat
        self.name = chat.name

    def stream(
        self, question: str, passages: Sequence[Passage], language: str, config: RunnableConfig | None = None
    ) -> Iterator[str]:
        selected = self.extractive.select(question, passages)
        if not selected:
            return
        foreign = [passages[n - 1].language != language for n, _ in selected]
        yield (prompts.EXTRACTIVE_INTRO_TRANSLATED if any(foreign) else prompts.EXTRACTIVE_INTRO)[language]
        for n, sentence in selected:
            yield "\n- "
            quoted = _in_language(bare(sentence), passages[n - 1], language)
            yield from [quoted] if quoted is not None else self.chat.translated(bare(sentence), language, config)
            yield f" [{n}]"

    def complete(
        self,
        messages: Sequence[MessageLikeRepresentation],
        max_tokens: int,
        config: RunnableConfig | None = None,
        background: bool = False,
    ) -> str:
        return self.chat.complete(messages, max_tokens, config, background)


def _local_model_installed(model: str) -> bool:
    from assistant.models.local_model import PACKAGED_MODELS, llama_available, part_paths

    if not llama_available() or model not in PACKAGED_MODELS:
        return False
    try:
        part_paths(PACKAGED_MODELS[model])
    except ConfigurationError:
        return False
    return True


def make_responder(name: str, settings: LLMSettings, embedder: SentenceEmbedder, data_dir: Path) -> Responder:
    """The responder called `name` ("auto": the local model if it is fully installed, else extractive)."""
    if name == "auto":
        name = "local" if _local_model_installed(settings.local_model) else "extractive"
    factories: dict[str, Callable[[], Responder]] = {
        "extractive": lambda: ExtractiveResponder(embedder),
        "local": lambda: ChatResponder(
            LlamaCppChatModel(settings=settings, data_dir=data_dir, max_tokens=settings.max_tokens), "local"
        ),
        "openai": lambda: ChatResponder(openai_chat_model(settings), "openai"),
    }
    if name not in factories:
        raise ConfigurationError(f"Unknown responder {name!r}: choose one of auto, {', '.join(factories)}.")
    return factories[name]()
