"""The local chat model's turn-taking: a background generation (suggested follow-ups) yields to a question."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.chat_models import LlamaCppChatModel
from assistant.answering.responders import ChatResponder
from assistant.errors import BackendUnavailableError
from assistant.settings import LLMSettings

TOKENS = 200


class SlowLlama:
    """Stands for llama.cpp's `Llama`: streams TOKENS pieces, 10 ms apart, counting those it gave."""

    def __init__(self) -> None:
        self.writing = threading.Event()
        self.given = 0

    def create_chat_completion(self, stream: bool, **kwargs: Any) -> Any:
        if not stream:
            return {"choices": [{"message": {"content": "The answer."}}]}
        return self._pieces()

    def _pieces(self) -> Iterator[dict[str, Any]]:
        for n in range(TOKENS):
            self.writing.set()
            time.sleep(0.01)
            self.given += 1
            yield {"choices": [{"delta": {"content": f"{n} "}}]}


@pytest.fixture
def local(tmp_path: Path) -> tuple[ChatResponder, SlowLlama]:
    model = LlamaCppChatModel(settings=LLMSettings(), data_dir=tmp_path, max_tokens=100)
    llama = SlowLlama()
    model._llm = llama  # loaded already
    return ChatResponder(model, "local"), llama


def test_a_background_generation_stops_for_a_question_that_waits(local: tuple[ChatResponder, SlowLlama]) -> None:
    responder, llama = local
    stopped: list[BackendUnavailableError] = []

    def suggest() -> None:
        try:
            responder.complete([{"role": "user", "content": "Suggest follow-ups."}], 300, background=True)
        except BackendUnavailableError as error:
            stopped.append(error)

    background = threading.Thread(target=suggest)
    background.start()
    assert llama.writing.wait(5)
    assert responder.complete([{"role": "user", "content": "A question."}], 50) == "The answer."
    background.join(5)
    assert stopped and "waiting" in str(stopped[0])
    assert llama.given < TOKENS


def test_a_background_generation_alone_writes_its_whole_reply(local: tuple[ChatResponder, SlowLlama]) -> None:
    responder, llama = local
    reply = responder.complete([{"role": "user", "content": "Suggest follow-ups."}], 300, background=True)
    assert reply == "".join(f"{n} " for n in range(TOKENS)) and llama.given == TOKENS
