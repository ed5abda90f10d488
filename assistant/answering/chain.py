"""The answering chain: question (+ history) → standalone question → passages → checked answer.

    validate → language → standalone question → hybrid retrieval → abstention guard
             → responder draft (streamed) → grounding check → extractive fallback → Answer

`Assistant.stream` yields the sources as soon as retrieval is done, then the draft's pieces,
then the final, checked `Answer` (which may differ from the streamed draft: unsupported
sentences are dropped). `Assistant.ask` returns only the final answer.

`AnswerChain` is the same as a LangChain `Runnable` (`make_chain`): `invoke` returns the
`ask --json` dict; `stream` yields `{"sources": [...]}`, `{"draft": piece}`..., then that dict.
The retriever and the chat model run as its child runs, so callbacks and tracing see them.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForChainRun, CallbackManagerForChainRun
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableConfig
from langchain_core.runnables.config import patch_config, run_in_executor
from langchain_core.runnables.utils import AddableDict

from assistant.answering import prompts
from assistant.answering.answerability import (
    about_everyday_life,
    answerable,
    names_a_held_code,
    names_unknown_year,
    names_what_is_asked,
    only_instructs,
)
from assistant.answering.conversation import Message, depends_on_context, rule_based_standalone, transcript
from assistant.answering.grounding import ground
from assistant.answering.responders import (
    ChatResponder,
    ExtractiveResponder,
    QuotingResponder,
    Responder,
    make_responder,
)
from assistant.errors import BackendUnavailableError, BadInputError
from assistant.language import other_language, question_language
from assistant.lexicon import DONT_KNOW
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.retriever import PassageRetriever, to_passage
from assistant.schema import Answer, Citation, Passage
from assistant.settings import Settings, load_settings
from assistant.text import bare, ended, questions

# How a model says the passages do not answer (it is told to reply "I don't know" but paraphrases).


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
    # What the responder read (the passages, or their focused sentences; numbering kept), so that a
    # wrong answer can be traced to the selection or to the generation. Empty when it abstained first.
    shown: list[Passage] = field(default_factory=list)


Event = Sources | Token | Final


class Assistant:
    def __init__(
        self, settings: Settings, retriever: HybridRetriever, responder: Responder, extractive: ExtractiveResponder
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.documents = PassageRetriever(hybrid=retriever)  # the same search, seen by LangChain's callbacks
        self.responder = responder
        self.extractive = extractive
        # (question, language) → its translation: a question asked again (a suggestion, a frequent
        # one) starts at retrieval speed; the model is deterministic (temperature 0).
        self._translated_questions: dict[tuple[str, str], str] = {}

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        responder: str | None = None,
        embedder: SentenceEmbedder | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> Assistant:
        """`chat_model`, when given, rewrites follow-ups and drafts the answers (`responder` is then ignored)."""
        retriever = HybridRetriever.from_settings(settings, embedder)
        embedder = retriever.embedder
        chosen = (
            ChatResponder(chat_model, type(chat_model).__name__)
            if chat_model is not None
            else make_responder(responder or settings.llm.responder, settings.llm, embedder, settings.data_dir)
        )
        extractive = chosen if isinstance(chosen, ExtractiveResponder) else ExtractiveResponder(embedder)
        if isinstance(chosen, ChatResponder) and settings.answer.compose == "quote":
            return cls(settings, retriever, QuotingResponder(extractive, chosen), extractive)
        return cls(settings, retriever, chosen, extractive)

    def ask(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> Answer:
        for event in self.stream(question, history, language):
            if isinstance(event, Final):
                return event.answer
        raise AssertionError("the stream ends with a Final event")

    def stream(
        self,
        question: str,
        history: Sequence[Message] = (),
        language: str | None = None,
        config: RunnableConfig | None = None,
    ) -> Iterator[Event]:
        """The answer's events; `config` (LangChain's) is handed to the retriever and the chat model."""
        started = time.perf_counter()
        question = self.validate(question)
        language = language or self.settings.answer.language or question_language(question)
        warnings: list[str] = []
        query = asked = self.standalone(question, history, language, warnings, config)
        if self.settings.retrieval.translate_query:
            query = self.bilingual(asked, language, warnings, config)
        passages = [to_passage(d) for d in self.documents.invoke(query, config, language=language)]
        retrieved = time.perf_counter()
        answer = Answer(question, language, "", False, self.responder.name)
        seen: list[Passage] = []
        answer.timings_ms["retrieve"] = (retrieved - started) * 1000

        reads_whole = not isinstance(self.responder, ChatResponder)  # a quoting responder chooses its sentences
        # A writing model reads the closest sentences. The answerability checks read what will be said: those
        # sentences, or the ones a quoting responder will quote (a value in a sentence it leaves out answers nothing),
        # and the passages they are in. The kind asked is read in the asker's own words, not in the model's
        # translation of them.
        if not reads_whole:
            focused = self.extractive.focus(query, passages, self.settings.answer.focus_sentences)
        else:
            focused = self.extractive.quoted(query, passages)
        texts = [p.text for p in passages]
        if (
            not passages
            or (
                max(p.similarity for p in passages) < self.settings.retrieval.min_similarity
                and not names_a_held_code(asked, texts)
            )
            or only_instructs(asked)
            or about_everyday_life(asked)
            or names_unknown_year(asked, texts)
            or not answerable(asked, *_sentences(focused, language), searched=query)
            or not names_what_is_asked(asked, _whole(passages, focused))
        ):
            self._abstain(answer, passages)
        else:
            yield Sources([Citation(n, p) for n, p in enumerate(passages, start=1)])
            seen = passages if reads_whole else focused
            draft = ""
            try:
                for piece in self.responder.stream(query, seen, language, config):
                    draft += piece
                    yield Token(piece)
            except BackendUnavailableError as error:
                warnings.append(prompts.LLM_UNAVAILABLE[language].format(error=error))
                answer.fallback, draft = "llm_unavailable", ""
            self._finish(answer, draft, query, passages, seen, warnings)
        answer.timings_ms["generate"] = (time.perf_counter() - retrieved) * 1000
        answer.timings_ms["total"] = (time.perf_counter() - started) * 1000
        answer.warnings = list(dict.fromkeys(warnings))  # one warning per cause
        yield Final(answer, query, seen)

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

    def standalone(
        self,
        question: str,
        history: Sequence[Message],
        language: str,
        warnings: list[str],
        config: RunnableConfig | None = None,
    ) -> str:
        """The question made understandable without the conversation (what retrieval searches).

        A question that stands on its own is searched as asked. One that leans on the conversation is
        searched after the earlier questions it depends on, or, with `answer.followups = "model"`,
        rewritten by the chat model from the transcript (a call that reads the whole conversation)."""
        if not history or not depends_on_context(question):
            return question
        complete = getattr(self.responder, "complete", None)  # chat responders can also rewrite
        if complete is not None and self.settings.answer.followups == "model":
            messages = prompts.rewrite_messages(transcript(history), question, language)
            try:
                rewritten = " ".join(str(complete(messages, 60, config)).split())
                if rewritten:
                    return rewritten
            except BackendUnavailableError as error:
                warnings.append(prompts.LLM_UNAVAILABLE[language].format(error=error))
        return rule_based_standalone(question, history)

    def bilingual(self, query: str, language: str, warnings: list[str], config: RunnableConfig | None = None) -> str:
        """The query followed by its translation into the other language, when a chat model can translate.

        What is searched, chosen and checked from then on: keyword search and the sentence choice
        then match the other language's words too ("ERC grants" finds "bourses ERC").
        """
        chat = self.responder.chat if isinstance(self.responder, QuotingResponder) else self.responder
        if not isinstance(chat, ChatResponder):
            return query
        other = other_language(language)
        # One question at a time: a follow-up searched after the earlier questions only translates itself.
        try:
            translation = " ".join(self._translated(part, other, chat, config) for part in questions(query))
        except BackendUnavailableError as error:
            warnings.append(prompts.LLM_UNAVAILABLE[language].format(error=error))
            return query
        return query if translation == query else f"{ended(query)} {translation}"

    def _translated(self, question: str, language: str, chat: ChatResponder, config: RunnableConfig | None) -> str:
        translation = self._translated_questions.get((question, language))
        if translation is None:
            translation = " ".join("".join(chat.translated(question, language, config)).split())
            if len(self._translated_questions) >= 10_000:
                self._translated_questions.clear()
            self._translated_questions[(question, language)] = translation
        return translation

    def _finish(
        self, answer: Answer, draft: str, query: str, passages: list[Passage], seen: list[Passage], warnings: list[str]
    ) -> None:
        """Keep the part of the draft that `seen` (what the responder read) supports; else quote the
        sources; else abstain. Citations show the whole passages."""
        language = answer.language
        if DONT_KNOW.search(draft):
            self._abstain(answer, passages)
            return
        grounded = ground(draft, seen, forbidden=prompts.SYSTEM, question=query, language=language)
        if not grounded.text and self.responder is not self.extractive:  # quote the sources in their language
            if draft:
                warnings.append(prompts.UNGROUNDED_FALLBACK[language])
            answer.fallback = "ungrounded" if draft else answer.fallback or "empty_draft"
            grounded = ground("".join(self.extractive.stream(query, passages, language)), passages, language=language)
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


def _whole(passages: list[Passage], cut: list[Passage]) -> list[str]:
    """The headings and texts, in both languages, of the `passages` whose `cut` keeps a sentence."""
    kept = [p for p, c in zip(passages, cut, strict=True) if c.text]
    return [t for p in kept for t in p.in_both_languages]


def _sentences(passages: list[Passage], language: str) -> tuple[list[str], list[str]]:
    """The passages' sentences in `language` where the translation memory has them (what a count is of
    is then matched in the asker's words, not read loosely in the other language), and each one's heading."""
    lines = [(p, line) for p in passages for line in p.text.split("\n") if line]
    sentences = [(p.translations.get(bare(line)) if p.language != language else None) or line for p, line in lines]
    return sentences, [p.topic for p, _ in lines]


ChainInput = str | Mapping[str, Any]


class AnswerChain(Runnable[ChainInput, dict[str, Any]]):
    """The assistant as a LangChain Runnable.

    Input: `{"question": ..., "history": [{"role": "user"|"assistant", "content": ...}], "language":
    "fr"|"en"|None}` (or the question alone, as a string). `invoke` returns the `ask --json` dict;
    `stream` yields `{"sources": [citation, ...]}` once retrieval is done, `{"draft": piece}` as the
    model writes, then the checked answer's dict. The chunks are LangChain `AddableDict`s: added up,
    they give that dict plus "sources" and "draft" (the streamed draft, before the checks).
    """

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def invoke(self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any) -> dict[str, Any]:
        return self._call_with_config(self._answer, input, config, run_type="chain")

    def stream(
        self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        yield from self.transform(iter([input]), config)

    def transform(
        self, input: Iterator[ChainInput], config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        yield from self._transform_stream_with_config(input, self._transform, config, run_type="chain")

    async def astream(
        self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> AsyncIterator[dict[str, Any]]:
        async def one() -> AsyncIterator[ChainInput]:
            yield input

        async for chunk in self._atransform_stream_with_config(one(), self._atransform, config, run_type="chain"):
            yield chunk

    def events(self, input: ChainInput, config: RunnableConfig | None = None) -> Iterator[Event]:
        """The assistant's own events for one request (`config` as given to the retriever and model)."""
        question, history, language = _request(input)
        return self.assistant.stream(question, history, language, config)

    def _answer(
        self, input: ChainInput, run_manager: CallbackManagerForChainRun, config: RunnableConfig
    ) -> dict[str, Any]:
        for event in self.events(input, patch_config(config, callbacks=run_manager.get_child())):
            if isinstance(event, Final):
                return event.answer.to_json()
        raise AssertionError("the stream ends with a Final event")

    def _transform(
        self, inputs: Iterator[ChainInput], run_manager: CallbackManagerForChainRun, config: RunnableConfig
    ) -> Iterator[AddableDict]:
        for input in inputs:
            for event in self.events(input, patch_config(config, callbacks=run_manager.get_child())):
                yield as_chunk(event)

    async def _atransform(
        self, inputs: AsyncIterator[ChainInput], run_manager: AsyncCallbackManagerForChainRun, config: RunnableConfig
    ) -> AsyncIterator[AddableDict]:
        # The answering code is synchronous (llama.cpp, Chroma): it runs in a worker thread, one step at a time.
        done = object()
        async for input in inputs:
            events = self.events(input, patch_config(config, callbacks=run_manager.get_child()))
            while (event := await run_in_executor(config, next, events, done)) is not done:
                yield as_chunk(event)  # type: ignore[arg-type]


def _request(input: ChainInput) -> tuple[str, list[Message], str | None]:
    if isinstance(input, str):
        return input, [], None
    history = [
        m if isinstance(m, Message) else Message(str(m["role"]), str(m["content"])) for m in input.get("history") or []
    ]
    return str(input["question"]), history, input.get("language")


def as_chunk(event: Event) -> AddableDict:
    """The chain's streamed dict for one of the assistant's events."""
    if isinstance(event, Sources):
        return AddableDict(sources=[c.to_json() for c in event.citations])
    if isinstance(event, Token):
        return AddableDict(draft=event.text)
    return AddableDict(event.answer.to_json())


def make_chain(
    settings: Settings | None = None, responder: str | None = None, chat_model: BaseChatModel | None = None
) -> AnswerChain:
    """The answering chain over the index that `settings` (default: the environment's) point at.

    `responder` names one ("local", "openai", "extractive"; default: the settings'); a LangChain
    `chat_model` replaces it, for rewriting follow-ups and drafting answers.
    """
    return AnswerChain(Assistant.from_settings(settings or load_settings(), responder, chat_model=chat_model))
