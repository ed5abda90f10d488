"""Follow-up questions to suggest after an answer, each one checked to be answerable from the sources.

Candidates come from the chat model when there is one (it reads the question, the answer and the
headings of the sections around the cited passages), else from those headings themselves, turned
into questions. A candidate is shown only if retrieval finds a passage for it at least as similar
as the abstention threshold (`retrieval.min_similarity`): a suggestion never leads to "not in my
sources". Nor is one that reads as the other language (a French heading in an English frame), since
the chat would answer it in that language. Model-written candidates that fail are replaced by heading-based ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.errors import BackendUnavailableError
from assistant.language import detect_language
from assistant.retrieval.hybrid import HybridRetriever
from assistant.schema import SECTION_SEPARATOR, Answer
from assistant.text import fold

LANGUAGES = ("fr", "en")
Complete = Callable[[list[dict[str, str]], int], str]

MAX_SUGGESTIONS = 3
NEIGHBOUR_DISTANCE = 2  # chunks before and after a cited one whose headings are candidates
_MAX_HEADING_CHARS = 60  # longer headings make long questions: the suggestions must stay short
_MAX_WORDS = 16
_PROMPT = {
    "en": (
        "A user asked: {question}\nThe answer was: {answer}\nNearby sections of the sources: {headings}\n\n"
        "Write three short follow-up questions (at most 12 words each) that these sources can answer, "
        "in English, one per line, without numbers."
    ),
    "fr": (
        "Un utilisateur a demandé : {question}\nLa réponse était : {answer}\nSections voisines dans les sources : "
        "{headings}\n\nÉcris trois questions de suivi courtes (12 mots au plus chacune) auxquelles ces sources "
        "répondent, en français, une par ligne, sans numéro."
    ),
}
_FROM_HEADING = {"en": "What do the sources say about “{heading}”?", "fr": "Que disent les sources sur « {heading} » ?"}
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s*")


class Suggester:
    def __init__(self, retriever: HybridRetriever, min_similarity: float, complete: Complete | None = None) -> None:
        self.retriever = retriever
        self.min_similarity = min_similarity
        self.complete = complete

    def suggest(self, answer: Answer, asked: Sequence[str] = ()) -> list[str]:
        """Up to three questions in the answer's language, answerable from the sources, not asked yet."""
        language = answer.language
        headings = self._neighbouring_headings(answer)
        seen = {_key(q) for q in [*asked, answer.question]}
        chosen: list[str] = []
        for candidate in [
            *self._written(answer, headings),
            *(_FROM_HEADING[language].format(heading=h) for h in headings),
        ]:
            if len(chosen) == MAX_SUGGESTIONS:
                break
            # Asked in the chat, a suggestion is answered in its detected language: it must be the asker's.
            same_language = detect_language(candidate, LANGUAGES) == language
            if _key(candidate) not in seen and same_language and self._answerable(candidate, language):
                chosen.append(candidate)
                seen.add(_key(candidate))
        return chosen

    def _neighbouring_headings(self, answer: Answer) -> list[str]:
        """The last heading of each section near the cited passages, closest first, the cited ones left out."""
        cited = {c.passage.section.split(SECTION_SEPARATOR)[-1] for c in answer.citations}
        if not cited:
            return []
        near = self.retriever.store.neighbours([c.passage.id for c in answer.citations], NEIGHBOUR_DISTANCE)
        headings = [str(chunk.metadata.get("section", "")).split(SECTION_SEPARATOR)[-1].strip() for chunk in near]
        fitting = [h for h in headings if h and h not in cited and len(h) <= _MAX_HEADING_CHARS]
        return list(dict.fromkeys(fitting))

    def _written(self, answer: Answer, headings: list[str]) -> list[str]:
        """The chat model's candidates (none without a model, or when it cannot be reached)."""
        if self.complete is None:
            return []
        prompt = _PROMPT[answer.language].format(
            question=answer.question, answer=answer.text, headings="; ".join(headings) or "-"
        )
        try:
            reply = self.complete([{"role": "user", "content": prompt}], 120)
        except BackendUnavailableError:
            return []
        questions = [_LIST_MARK.sub("", line).strip().strip('"“”«» ') for line in reply.splitlines()]
        return [q for q in questions if q.endswith("?") and 2 < len(q.split()) <= _MAX_WORDS]

    def _answerable(self, question: str, language: str) -> bool:
        passages = self.retriever.retrieve(question, language)
        return bool(passages) and max(p.similarity for p in passages) >= self.min_similarity


def _key(question: str) -> str:
    return " ".join(re.findall(r"\w+", fold(question)))
