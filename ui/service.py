"""One assistant shared by every user of the app, with a concurrency limit and a bounded queue.

The chat and the HTTP API answer through the same slots, so "4 at once" means 4 in all.
A request that finds `max_queue` others already waiting is refused at once ("busy") rather
than left to time out. Once the server is stopping (SIGTERM), requests that arrive are refused
(`admitted`, ui/server.py) while the questions already in (asked, queued or answering) finish.

The chat reads the chain's typed events (`stream`: they carry the passages it renders), the HTTP
API the chain's dicts made from the same events (`ask`, `stream_chunks`); every answer therefore
goes through `stream`, where it is counted (`ui.metrics`) and logged (`ui.request_log`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property, partial
from typing import Any

from assistant.answering.chain import AnswerChain, Assistant, Event, Final, Token, as_chunk
from assistant.answering.conversation import Message
from assistant.answering.suggestions import Suggester
from assistant.errors import AssistantError, BackendUnavailableError, BadInputError, EmptyIndexError
from assistant.given_names import is_given_name
from assistant.schema import Answer
from assistant.settings import Settings, UISettings
from assistant.syntax import load_taggers
from ui import request_log
from ui.freed_memory import FreedMemoryTrimmer
from ui.metrics import Metrics

log = logging.getLogger(__name__)


class BusyError(AssistantError):
    """Too many questions are waiting already."""


def status_of(error: AssistantError) -> int:
    """The HTTP status of an error: 400 for the request, 503 when the index or a backend is missing or
    the app is busy, 500 for a configuration error (the message says what the administrator must fix)."""
    if isinstance(error, BadInputError):
        return 400
    if isinstance(error, EmptyIndexError | BackendUnavailableError | BusyError):
        return 503
    return 500


class StoppingError(BusyError):
    """The server is shutting down: another worker, or this one restarted, should take the question."""

    def __init__(self) -> None:
        super().__init__("The assistant is restarting: ask again in a moment.")


class AnswerService:
    def __init__(self, assistant: Assistant, settings: UISettings) -> None:
        self.assistant = assistant
        self.chain = AnswerChain(assistant)
        self._slots = threading.BoundedSemaphore(settings.concurrency_limit)
        self._max_waiting = settings.max_queue
        self._waiting = 0
        self._in_flight = 0  # waiting or answering
        self._stopping = False
        self._count_lock = threading.Condition()
        self._trimmer = FreedMemoryTrimmer()
        self._log_questions = settings.log_questions
        self.metrics = Metrics()
        self.metrics.watch_index(self.health)
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
        context = request_log.current()
        asked = {"question": question} if self._log_questions else {}
        first_token_s: float | None = None
        try:
            self.validate(question)  # bad input is refused before it waits for a slot
            with self._slot():
                for event in self.chain.events({"question": question, "history": history, "language": language}):
                    elapsed = time.perf_counter() - context.started
                    if first_token_s is None and isinstance(event, Token | Final):
                        first_token_s = elapsed
                    if isinstance(event, Final):
                        self._answered(context, event.answer, first_token_s or elapsed, elapsed, asked)
                    yield event
        except AssistantError as error:
            self._failed(context, status_of(error), str(error), asked)
            raise
        except Exception as error:
            self._failed(context, 500, type(error).__name__, asked)
            raise

    def _answered(
        self,
        context: request_log.RequestContext,
        answer: Answer,
        first_token_s: float,
        total_s: float,
        asked: dict[str, str],
    ) -> None:
        self.metrics.observe_answer(answer, first_token_s, total_s)
        timings = answer.timings_ms | {"first_token": first_token_s * 1000, "total": total_s * 1000}
        request_log.write(
            "answer",
            context,
            200,
            **asked,
            responder=answer.responder,
            language=answer.language,
            abstained=answer.abstained,
            fallback=answer.fallback,
            citations=len(answer.citations),
            warnings=answer.warnings,
            timings_ms={k: round(v, 1) for k, v in timings.items()},
        )

    def _failed(self, context: request_log.RequestContext, status: int, error: str, asked: dict[str, str]) -> None:
        elapsed_ms = (time.perf_counter() - context.started) * 1000
        request_log.write("error", context, status, **asked, error=error, timings_ms={"total": round(elapsed_ms, 1)})

    def ask(self, question: str, history: Sequence[Message] = (), language: str | None = None) -> dict[str, Any]:
        """The answer as `python -m assistant ask --json` prints it."""
        for event in self.stream(question, history, language):
            if isinstance(event, Final):
                return event.answer.to_json()
        raise AssertionError("the stream ends with a Final event")

    def stream_chunks(
        self, question: str, history: Sequence[Message] = (), language: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """The chain's chunks: `{"sources": [...]}`, `{"draft": piece}`..., then the answer's dict."""
        for event in self.stream(question, history, language):
            yield as_chunk(event)

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
        if complete is not None:
            complete = partial(complete, background=True)  # a waiting question goes first
        return Suggester(assistant.retriever, assistant.settings.retrieval.min_similarity, complete)

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
                self.metrics.rejections.labels("busy").inc()
                raise BusyError("Too many questions are waiting: try again in a minute.")
            self._waiting += 1
            self.metrics.queue_depth.set(self._waiting)
        with self._counted():
            try:
                self._slots.acquire()
            finally:
                with self._count_lock:
                    self._waiting -= 1
                    self.metrics.queue_depth.set(self._waiting)
            self.metrics.in_progress.inc()
            try:
                yield
            finally:
                self.metrics.in_progress.dec()
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
        """Load the models, the keyword index and the given names now, so that the first user does not wait
        for them."""
        is_given_name("Inserm")  # read at the first question about a role otherwise
        load_taggers()  # read at the first follow-up otherwise
        try:
            self.assistant.ask("Inserm")
        except AssistantError as error:
            log.warning("warm-up: %s", error)
