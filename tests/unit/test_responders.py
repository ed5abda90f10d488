"""Responders: the registry, ChatOpenAI against an HTTP server on loopback that can fail on cue.

(The same path against a real OpenAI-compatible server, llama.cpp's: tests/integration/test_langchain.py.)"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import ValidationError

from assistant.answering import prompts
from assistant.answering.chat_models import openai_chat_model
from assistant.answering.responders import ChatResponder, make_responder
from assistant.errors import BackendUnavailableError, ConfigurationError
from assistant.schema import Passage
from assistant.settings import LLMSettings
from tests.helpers import FakeEmbedder, free_port

PASSAGE = Passage(
    "id",
    "src",
    "Title",
    "InterAging",
    "https://example.org",
    "fr",
    "Sa coordination est assurée par Éric Gilson.",
    "…",
    0.1,
    0.9,
)


class ChatServer(BaseHTTPRequestHandler):
    """Speaks the OpenAI chat-completions protocol, streamed or not; remembers the last request.
    With `fail` set, a stream breaks off after its first piece with an `error` event, as servers do."""

    last: ClassVar[dict[str, object]] = {}
    fail: ClassVar[bool] = False

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ChatServer.last = {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        self.send_response(200)
        if body.get("stream"):
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in ("Éric ", "Gilson ", "[1]."):
                event = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                if ChatServer.fail:
                    error = {"error": {"message": "the model crashed", "type": "server_error"}}
                    self.wfile.write(f"event: error\ndata: {json.dumps(error)}\n\n".encode())
                    return
            self.wfile.write(b"data: [DONE]\n\n")
        else:
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            message = {"role": "assistant", "content": "Qui coordonne InterAging ?"}
            self.wfile.write(json.dumps({"choices": [{"index": 0, "message": message}]}).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    ChatServer.fail = False


def openai_responder(url: str, **settings: object) -> ChatResponder:
    return ChatResponder(openai_chat_model(LLMSettings(openai_base_url=url, **settings)), "openai")  # type: ignore[arg-type]


def test_openai_responder_streams_the_draft(server: str) -> None:
    responder = openai_responder(server, openai_model="m", openai_api_key="k")
    assert "".join(responder.stream("Qui coordonne InterAging ?", [PASSAGE], "fr")) == "Éric Gilson [1]."
    body = ChatServer.last["body"]
    assert ChatServer.last["path"] == "/v1/chat/completions" and ChatServer.last["auth"] == "Bearer k"
    assert isinstance(body, dict) and body["model"] == "m" and body["temperature"] == 0.0
    assert body["messages"][0] == {"role": "system", "content": prompts.SYSTEM}
    assert "[1] InterAging\nSa coordination est assurée par Éric Gilson." in body["messages"][1]["content"]
    assert responder.complete(prompts.rewrite_messages("user: …", "Et qui ?", "fr"), 60) == "Qui coordonne InterAging ?"
    body = ChatServer.last["body"]
    assert isinstance(body, dict) and body["max_tokens"] == 60 and not body.get("stream")
    assert (
        responder.complete([{"role": "user", "content": "Juge…"}], 8) == "Qui coordonne InterAging ?"
    )  # the judge's form


def test_an_error_event_in_the_stream_is_a_backend_error(server: str) -> None:
    ChatServer.fail = True
    pieces: list[str] = []
    with pytest.raises(BackendUnavailableError, match="the model crashed"):
        pieces.extend(openai_responder(server).stream("Qui coordonne InterAging ?", [PASSAGE], "fr"))
    assert pieces == ["Éric "]


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    responder = openai_responder(f"http://127.0.0.1:{free_port()}/v1", timeout_s=2)
    with pytest.raises(BackendUnavailableError, match="Connection error"):
        list(responder.stream("Question ?", [PASSAGE], "fr"))


def test_unknown_responders_are_rejected_with_the_list(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="'auto', 'local', 'openai' or 'extractive'"):
        LLMSettings(responder="gpt")
    with pytest.raises(ConfigurationError, match="choose one of auto, extractive, local, openai"):
        make_responder("gpt", LLMSettings(), FakeEmbedder(), tmp_path)
    assert make_responder("extractive", LLMSettings(), FakeEmbedder(), tmp_path).name == "extractive"
