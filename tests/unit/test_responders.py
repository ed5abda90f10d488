"""Responders: the registry, the OpenAI-compatible client against a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import ValidationError

from assistant.answering.responders import OpenAIResponder, make_responder
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
    """Speaks the OpenAI chat-completions protocol, streamed or not; remembers the last request."""

    last: ClassVar[dict[str, object]] = {}

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ChatServer.last = {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
        self.send_response(200)
        if body["stream"]:
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            for piece in ("Éric ", "Gilson ", "[1]."):
                event = {"choices": [{"delta": {"content": piece}}]}
                self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")
        else:
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps({"choices": [{"message": {"content": "Qui coordonne InterAging ?"}}]}).encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), ChatServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()


def test_openai_responder_streams_the_draft(server: str) -> None:
    responder = OpenAIResponder(LLMSettings(openai_base_url=server, openai_model="m", openai_api_key="k"))
    assert "".join(responder.stream("Qui coordonne InterAging ?", [PASSAGE], "fr")) == "Éric Gilson [1]."
    body = ChatServer.last["body"]
    assert ChatServer.last["path"] == "/v1/chat/completions" and ChatServer.last["auth"] == "Bearer k"
    assert isinstance(body, dict) and body["model"] == "m" and body["temperature"] == 0.0
    assert "[1] InterAging\nSa coordination est assurée par Éric Gilson." in body["messages"][1]["content"]
    assert responder.complete([{"role": "user", "content": "…"}], 60) == "Qui coordonne InterAging ?"


def test_an_unreachable_endpoint_is_a_clear_error() -> None:
    responder = OpenAIResponder(LLMSettings(openai_base_url=f"http://127.0.0.1:{free_port()}/v1", timeout_s=2))
    with pytest.raises(BackendUnavailableError, match="cannot be reached"):
        list(responder.stream("Question ?", [PASSAGE], "fr"))


def test_unknown_responders_are_rejected_with_the_list(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="'auto', 'local', 'openai' or 'extractive'"):
        LLMSettings(responder="gpt")
    with pytest.raises(ConfigurationError, match="choose one of auto, extractive, local, openai"):
        make_responder("gpt", LLMSettings(), FakeEmbedder(), tmp_path)
    assert make_responder("extractive", LLMSettings(), FakeEmbedder(), tmp_path).name == "extractive"
