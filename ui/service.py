"""One assistant shared by every user of the app, with a concurrency limit and a bounded queue.

The chat and the HTTP API answer through the same slots, so "4 at once" means 4 in all.
A request that finds `max_queue` others already waiting is refused at once ("busy") rather
than left to time out.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property

from assistant.answering.chain import Assistant, Event, Final
from assistant.answering.conversation import Message
from assistant.answering.suggestions import Suggester
from assistant.errors import AssistantError
from assistant.schema import Answer
from assistant.settings import Settings, UISettings
from ui.freed_memory import FreedMemoryTrimmer

log = logging.getLogger(__name__)


class BusyError(AssistantError):
    """Too many questions are waiting already."""


class AnswerService:
    def __init__(self, assistant: Assistant, settings: UISettings) -> None:
        self.assistant = assistant
        self._slots = threading.BoundedSemaphore(settings.concurrency_limit)
        self._max_waiting = settings.max_queue
        self._waiting = 0
        self._count_lock = threading.Lock()
        self._trimmer = FreedMemoryTrimmer()
        self._suggestions = settings.suggestions

    @classmethod
    def from_settings(cls, settings: Settings, responder: str | None = None) -> AnswerService:
        return cls(Assistant.from_settings(settings, responder=responder), settings.ui)

    @property
    def responder(self) -> str:
        return self.assistant.responder.name

    def validate(self, question: str) -> str:
        return self.assistant.validate(question)

    def stream(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> Iterator[Event]:
        self.validate(question)  # bad input is refused before it waits for a slot
        with self._slot():
            yield from self.assistant.stream(question, history, language)

    def ask(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> Answer:
        for event in self.stream(question, history, language):
            if isinstance(event, Final):
                return event.answer
        raise AssertionError("the stream ends with a Final event")

    def suggest(self, answer: Answer, asked: Sequence[str] = ()) -> list[str]:
        """Follow-up questions for `answer` (none when the setting is off); they take a slot like an answer."""
        if not self._suggestions:
            return []
        with self._slot():
            return self._suggester.suggest(answer, asked)

    @cached_property
    def _suggester(self) -> Suggester:
        assistant = self.assistant
        complete = getattr(assistant.responder, "complete", None)  # chat responders write the suggestions
        return Suggester(assistant.retriever, assistant.settings.retrieval.min_similarity, complete)

    @contextmanager
    def _slot(self) -> Iterator[None]:
        with self._count_lock:
            if self._waiting >= self._max_waiting:
                raise BusyError("Too many questions are waiting: try again in a minute.")
            self._waiting += 1
        try:
            self._slots.acquire()
        finally:
            with self._count_lock:
                self._waiting -= 1
        try:
            yield
        finally:
            self._slots.release()
            self._trimmer.after_answer()  # glibc keeps freed pages; see ui/freed_memory.py

    def health(self) -> dict[str, object]:
        """What /healthz reports; raises when the index cannot be read."""
        store = self.assistant.retriever.store
        collection = store.require_active()
        return {"status": "ok", "index": collection.name, "chunks": collection.count(), "responder": self.responder}

    def warm_up(self) -> None:
        """Load the models and the keyword index now, so that the first user does not wait for them."""
        try:
            self.assistant.ask("Inserm")
        except AssistantError as error:
            log.warning("warm-up: %s", error)
