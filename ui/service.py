"""One assistant shared by every user of the app, with a concurrency limit and a bounded queue.

The chat and the HTTP API answer through the same slots, so "4 at once" means 4 in all.
A request that finds `max_queue` others already waiting is refused at once ("busy") rather
than left to time out. Once the server is stopping (SIGTERM), requests that arrive are refused
(`admitted`, ui/server.py) while the questions already in (asked, queued or answering) finish.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from assistant.answering.chain import Assistant, Event, Final
from assistant.answering.conversation import Message
from assistant.errors import AssistantError
from assistant.schema import Answer
from assistant.settings import Settings, UISettings
from ui.freed_memory import FreedMemoryTrimmer

log = logging.getLogger(__name__)


class BusyError(AssistantError):
    """Too many questions are waiting already."""


class StoppingError(BusyError):
    """The server is shutting down: another worker, or this one restarted, should take the question."""

    def __init__(self) -> None:
        super().__init__("The assistant is restarting: ask again in a moment.")


class AnswerService:
    def __init__(self, assistant: Assistant, settings: UISettings) -> None:
        self.assistant = assistant
        self._slots = threading.BoundedSemaphore(settings.concurrency_limit)
        self._max_waiting = settings.max_queue
        self._waiting = 0
        self._in_flight = 0  # waiting or answering
        self._stopping = False
        self._count_lock = threading.Condition()
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
            yield from self.assistant.stream(question, history, language)

    def ask(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> Answer:
        for event in self.stream(question, history, language):
            if isinstance(event, Final):
                return event.answer
        raise AssertionError("the stream ends with a Final event")

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """A request that has reached the server: refused once it is stopping, else waited for by `stop`."""
        with self._count_lock:
            if self._stopping:
                raise StoppingError()
        with self._counted():
            yield

    @contextmanager
    def _counted(self) -> Iterator[None]:
        with self._count_lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._in_flight -= 1
                self._count_lock.notify_all()

    @contextmanager
    def _slot(self) -> Iterator[None]:
        # Not refused when stopping: the question was admitted (API) or queued (chat) before.
        with self._count_lock:
            if self._waiting >= self._max_waiting:
                raise BusyError("Too many questions are waiting: try again in a minute.")
            self._waiting += 1
        with self._counted():
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

    def stop(self, grace_s: float) -> int:
        """Refuse new questions, then wait up to `grace_s` for those in flight; how many are still running."""
        deadline = time.monotonic() + grace_s
        with self._count_lock:
            self._stopping = True
            while self._in_flight and (left := deadline - time.monotonic()) > 0:
                self._count_lock.wait(left)
            return self._in_flight

    def health(self) -> dict[str, object]:
        """What /healthz reports; raises when the index cannot be read or the server is stopping."""
        if self._stopping:
            raise StoppingError()
        store = self.assistant.retriever.store
        collection = store.require_active()
        return {
            "status": "ok",
            "index": collection.name,
            "chunks": store.count(collection),
            "responder": self.responder,
        }

    def warm_up(self) -> None:
        """Load the models and the keyword index now, so that the first user does not wait for them."""
        try:
            self.assistant.ask("Inserm")
        except AssistantError as error:
            log.warning("warm-up: %s", error)
