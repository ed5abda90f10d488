"""One assistant shared by every user of the app, with a concurrency limit and a bounded queue.

The chat and the HTTP API answer through the same slots, so "4 at once" means 4 in all.
A request that finds `max_queue` others already waiting is refused at once ("busy") rather
than left to time out.

The HTTP API answers through the LangChain chain (`ask`, `stream_chunks`: its dicts), the chat
through the chain's typed events (`stream`), which carry the passages it renders.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from assistant.answering.chain import AnswerChain, Assistant, Event
from assistant.answering.conversation import Message
from assistant.errors import AssistantError
from assistant.settings import Settings, UISettings
from ui.freed_memory import FreedMemoryTrimmer

log = logging.getLogger(__name__)


class BusyError(AssistantError):
    """Too many questions are waiting already."""


class AnswerService:
    def __init__(self, assistant: Assistant, settings: UISettings) -> None:
        self.assistant = assistant
        self.chain = AnswerChain(assistant)
        self._slots = threading.BoundedSemaphore(settings.concurrency_limit)
        self._max_waiting = settings.max_queue
        self._waiting = 0
        self._count_lock = threading.Lock()
        self._trimmer = FreedMemoryTrimmer()

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
            yield from self.chain.events({"question": question, "history": history, "language": language})

    def ask(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> dict[str, Any]:
        """The answer as `python -m assistant ask --json` prints it."""
        self.validate(question)
        with self._slot():
            return self.chain.invoke({"question": question, "history": history, "language": language})

    def stream_chunks(
        self, question: str, history: Sequence[Message] = (), language: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """The chain's chunks: `{"sources": [...]}`, `{"draft": piece}`..., then the answer's dict."""
        self.validate(question)
        with self._slot():
            yield from self.chain.stream({"question": question, "history": history, "language": language})

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
