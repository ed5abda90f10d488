"""The shared answering service: at most `concurrency_limit` answers at once, a bounded queue."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from assistant.answering.chain import Final
from assistant.errors import BadInputError
from assistant.schema import Answer
from assistant.settings import UISettings
from ui.service import AnswerService, BusyError, StoppingError


class GatedAssistant:
    """Answers only when the test opens the gate, and counts how many answers run at once."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.running = 0
        self.most_running = 0
        self.lock = threading.Lock()

    def validate(self, question: str) -> str:
        if not question.strip():
            raise BadInputError("The question is empty: type a question.")
        return question

    def stream(self, question: str, history: Any, language: Any, config: Any = None) -> Iterator[Final]:
        with self.lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        self.gate.wait(10)
        with self.lock:
            self.running -= 1
        yield Final(Answer(question, "en", "97 [1].", False, "fake"), question)


def service(limit: int, queue: int) -> tuple[AnswerService, GatedAssistant]:
    assistant = GatedAssistant()
    return AnswerService(assistant, UISettings(concurrency_limit=limit, max_queue=queue)), assistant  # type: ignore[arg-type]


def wait_until(condition: Any) -> None:
    deadline = time.monotonic() + 5
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_no_more_than_the_limit_answer_at_once() -> None:
    answers, assistant = service(limit=2, queue=10)
    results: list[str] = []
    threads = [threading.Thread(target=lambda i=i: results.append(answers.ask(f"q{i}")["answer"])) for i in range(6)]
    for thread in threads:
        thread.start()
    wait_until(lambda: assistant.running == 2)
    time.sleep(0.1)  # the others had time to start if the limit did not hold them
    assert assistant.running == 2
    assistant.gate.set()
    for thread in threads:
        thread.join(10)
    assert results == ["97 [1]."] * 6 and assistant.most_running == 2


def test_a_full_queue_refuses_at_once() -> None:
    answers, assistant = service(limit=1, queue=2)
    threads = [threading.Thread(target=answers.ask, args=(f"q{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    wait_until(lambda: assistant.running == 1)  # one answering, one waiting: the queue holds 2
    extra = threading.Thread(target=answers.ask, args=("q-extra",))
    extra.start()
    wait_until(lambda: answers._waiting == 2)
    registry = answers.metrics.registry
    assert registry.get_sample_value("assistant_queue_depth") == 2
    assert registry.get_sample_value("assistant_answers_in_progress") == 1
    with pytest.raises(BusyError, match="try again"):
        answers.ask("one too many")
    assert registry.get_sample_value("assistant_rejections_total", {"reason": "busy"}) == 1
    assistant.gate.set()
    for thread in [*threads, extra]:
        thread.join(10)
    assert answers.ask("after the rush")["answer"] == "97 [1]."  # slots and queue were given back


def test_bad_input_is_refused_before_waiting_for_a_slot() -> None:
    answers, assistant = service(limit=1, queue=1)
    blocker = threading.Thread(target=answers.ask, args=("slow",))
    blocker.start()
    wait_until(lambda: assistant.running == 1)
    with pytest.raises(BadInputError, match="empty"):
        answers.ask("   ")  # answered at once although every slot is taken
    assistant.gate.set()
    blocker.join(10)


def test_stopping_refuses_new_questions_and_waits_for_those_in_flight() -> None:
    answers, assistant = service(limit=1, queue=5)
    results: list[str] = []
    threads = [threading.Thread(target=lambda i=i: results.append(answers.ask(f"q{i}")["answer"])) for i in range(3)]
    for thread in threads:
        thread.start()
    wait_until(lambda: answers._in_flight == 3)  # one answering, two waiting
    left: list[int] = []
    stopper = threading.Thread(target=lambda: left.append(answers.stop(grace_s=10)))
    stopper.start()
    wait_until(lambda: answers._stopping)
    with pytest.raises(StoppingError, match="restarting"), answers.admitted():
        pass  # a request that arrives now
    with pytest.raises(StoppingError):
        answers.health()
    assert stopper.is_alive()  # still waiting for the three
    assistant.gate.set()
    stopper.join(10)
    assert left == [0] and results == ["97 [1]."] * 3  # even those that were still waiting for the slot


def test_stopping_gives_up_after_the_grace_period() -> None:
    answers, assistant = service(limit=1, queue=5)
    blocker = threading.Thread(target=answers.ask, args=("stuck",))
    blocker.start()
    wait_until(lambda: assistant.running == 1)
    assert answers.stop(grace_s=0.2) == 1  # the answer still running is reported, not waited for forever
    assistant.gate.set()
    blocker.join(10)
