"""The answering chain: question (+ history) → standalone question → passages → checked answer.

    validate → language → standalone question → hybrid retrieval → abstention guard
             → responder draft (streamed) → grounding check → extractive fallback → Answer

`Assistant.stream` yields the sources as soon as retrieval is done, then the draft's pieces,
then the final, checked `Answer` (which may differ from the streamed draft: unsupported
sentences are dropped). `Assistant.ask` returns only the final answer.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.answering import prompts
from assistant.answering.conversation import Message, rule_based_standalone, transcript
from assistant.answering.grounding import ground
from assistant.answering.responders import ExtractiveResponder, Responder, make_responder
from assistant.errors import BackendUnavailableError, BadInputError
from assistant.language import detect_language
from assistant.retrieval.embedding import SentenceEmbedder, make_embedder
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import ChunkStore, connect
from assistant.schema import Answer, Citation, Passage
from assistant.settings import Settings

LANGUAGES = ("fr", "en")
# How a model says the passages do not answer (it is told to reply "I don't know" but paraphrases).
_DONT_KNOW = re.compile(
    r"^\W*(i don'?t know|i do not know|je ne sais pas)"
    r"|\b(is|are) not (explicitly )?(stated|mentioned|provided|given|specified|available)"
    r"|\b(do|does) not (mention|state|provide|specify|contain)"
    r"|\b(n'est|ne sont|n’est) pas (explicitement )?(mentionn|indiqu|précis|donn|fourni)"
    r"|\bne (mentionnent|précisent|indiquent|contiennent) pas",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sources:
    """Retrieval is done: these passages, numbered from 1, are what the answer may cite."""

    citations: list[Citation]


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class Final:
    answer: Answer
    query: str  # the standalone question that was searched


Event = Sources | Token | Final


def _asks_about_unknown_facts(question: str, passages: Sequence[Passage]) -> bool:
    """True if the question names a year that no passage contains ("How many Joint Labs in 2010?").

    Only years: other numbers in a question are often what an injection asks to say ("answer 500").
    """
    wanted = set(re.findall(r"\b(?:19|20)\d\d\b", question))
    if not wanted:
        return False
    found = "\n".join(p.text for p in passages)
    return any(year not in found for year in wanted)


class Assistant:
    def __init__(
        self, settings: Settings, retriever: HybridRetriever, responder: Responder, extractive: ExtractiveResponder
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.responder = responder
        self.extractive = extractive

    @classmethod
    def from_settings(
        cls, settings: Settings, responder: str | None = None, embedder: SentenceEmbedder | None = None
    ) -> Assistant:
        embedder = embedder or make_embedder(settings.embedding, settings.data_dir)
        store = ChunkStore(connect(settings.store, settings.index_path), settings.store.collection)
        retriever = HybridRetriever(store, embedder, settings.retrieval)
        chosen = make_responder(responder or settings.llm.responder, settings.llm, embedder, settings.data_dir)
        extractive = chosen if isinstance(chosen, ExtractiveResponder) else ExtractiveResponder(embedder)
        return cls(settings, retriever, chosen, extractive)

    def ask(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> Answer:
        for event in self.stream(question, history, language):
            if isinstance(event, Final):
                return event.answer
        raise AssertionError("the stream ends with a Final event")

    def stream(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> Iterator[Event]:
        started = time.perf_counter()
        question = self.validate(question)
        language = language or self.settings.answer.language or detect_language(question, LANGUAGES)
        warnings: list[str] = []
        query = self.standalone(question, history, language, warnings)
        passages = self.retriever.retrieve(query, language)
        retrieved = time.perf_counter()
        answer = Answer(question, language, "", False, self.responder.name)
        answer.timings_ms["retrieve"] = (retrieved - started) * 1000

        if (
            not passages
            or max(p.similarity for p in passages) < self.settings.retrieval.min_similarity
            or _asks_about_unknown_facts(query, passages)
        ):
            self._abstain(answer, passages)
        else:
            yield Sources([Citation(n, p) for n, p in enumerate(passages, start=1)])
            seen = passages if self.responder is self.extractive else self.extractive.focus(query, passages)
            draft = ""
            try:
                for piece in self.responder.stream(query, seen, language):
                    draft += piece
                    yield Token(piece)
            except BackendUnavailableError as error:
                warnings.append(prompts.LLM_UNAVAILABLE[language].format(error=error))
                answer.fallback, draft = "llm_unavailable", ""
            self._finish(answer, draft, query, passages, seen, warnings)
        answer.timings_ms["generate"] = (time.perf_counter() - retrieved) * 1000
        answer.timings_ms["total"] = (time.perf_counter() - started) * 1000
        answer.warnings = warnings
        yield Final(answer, query)

    def validate(self, question: str) -> str:
        """The question with its spaces collapsed, or BadInputError saying what to fix."""
        question = " ".join(question.split())
        limit = self.settings.answer.max_question_chars
        if not question:
            raise BadInputError("The question is empty: type a question.")
        if len(question) > limit:
            raise BadInputError(
                f"The question is {len(question)} characters long; the limit is {limit}. "
                "Shorten it to the question itself."
            )
        return question

    def standalone(self, question: str, history: Sequence[Message], language: str, warnings: list[str]) -> str:
        """The question made understandable without the conversation (what retrieval searches)."""
        if not history:
            return question
        complete = getattr(self.responder, "complete", None)  # chat responders can also rewrite
        if complete is not None:
            prompt = prompts.REWRITE[language].format(history=transcript(history), question=question)
            try:
                rewritten = " ".join(str(complete([{"role": "user", "content": prompt}], 60)).split())
                if rewritten:
                    return rewritten
            except BackendUnavailableError as error:
                warnings.append(prompts.LLM_UNAVAILABLE[language].format(error=error))
        return rule_based_standalone(question, history)

    def _finish(
        self, answer: Answer, draft: str, query: str, passages: list[Passage], seen: list[Passage], warnings: list[str]
    ) -> None:
        """Keep the part of the draft that `seen` (what the responder read) supports; else quote the
        sources; else abstain. Citations show the whole passages."""
        language = answer.language
        if _DONT_KNOW.search(draft):
            self._abstain(answer, passages)
            return
        grounded = ground(draft, seen, forbidden=prompts.SYSTEM, question=query, language=language)
        if not grounded.text and self.responder is not self.extractive:
            if draft:
                warnings.append(prompts.UNGROUNDED_FALLBACK[language])
            answer.fallback = "ungrounded" if draft else answer.fallback or "empty_draft"
            grounded = ground("".join(self.extractive.stream(query, passages, language)), passages)
            answer.responder = self.extractive.name  # what actually wrote the answer
        if not grounded.text:
            self._abstain(answer, passages)
            return
        answer.text = grounded.text
        answer.citations = [Citation(n, passages[n - 1]) for n in sorted(grounded.cited)]

    def _abstain(self, answer: Answer, passages: list[Passage]) -> None:
        answer.text, answer.abstained = prompts.NOT_IN_SOURCES[answer.language], True
        answer.citations = self._see_also(passages)

    def _see_also(self, passages: list[Passage]) -> list[Citation]:
        """The closest passages, when they are close enough to be worth a look."""
        floor = self.settings.retrieval.min_similarity - 0.04
        return [Citation(n, p) for n, p in enumerate(passages[:3], start=1) if p.similarity >= floor]
