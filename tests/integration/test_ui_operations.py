"""`python -m ui` over real HTTP, as an operator runs it: no uploads, a body cap, the rate limit on the
API and the chat, request ids in the JSON log, and /metrics. The server runs the extractive responder,
behind a trusted user header, with its own Gradio and Python temp folders to check that nothing is
written there."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from assistant.settings import Settings
from tests.integration.conftest import running_ui

pytestmark = pytest.mark.integration

QUESTION = "Who coordinates the InterAging programme?"
USER = "X-Forwarded-User"


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    temp_folders: tuple[Path, Path]  # GRADIO_TEMP_DIR, TMPDIR


@pytest.fixture(scope="module")
def server(indexed: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("operated-ui")
    gradio_temp, python_temp = folder / "gradio-temp", folder / "tmp"
    python_temp.mkdir()
    with running_ui(
        indexed,
        folder,
        env={
            "ASSISTANT_UI__FEEDBACK_DB": str(folder / "feedback.sqlite3"),
            "ASSISTANT_UI__TRUSTED_USER_HEADER": USER,
            "ASSISTANT_UI__RATE_LIMIT": "2/hour",
            "GRADIO_TEMP_DIR": str(gradio_temp),
            "TMPDIR": str(python_temp),
        },
    ) as url:
        yield Server(url, folder / "ui.log", (gradio_temp, python_temp))


def files_in(folders: tuple[Path, ...]) -> set[Path]:
    return {Path(root) / name for folder in folders for root, _, names in os.walk(folder) for name in names}


def log_lines(server: Server) -> list[dict[str, object]]:
    return [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith('{"event"')]


def test_uploads_and_large_bodies_are_refused_and_nothing_is_written(server: Server) -> None:
    before = files_in(server.temp_folders)
    random_file = os.urandom(30 * 1024 * 1024)
    for path in ("/gradio_api/upload", "/widget/gradio_api/upload"):
        anonymous = httpx.post(server.url + path, files={"files": ("x.bin", random_file)}, timeout=60)
        assert anonymous.status_code == 401, path
        signed_in = httpx.post(
            server.url + path, files={"files": ("x.bin", random_file)}, headers={USER: "uploader"}, timeout=60
        )
        assert signed_in.status_code == 403 and "no file uploads" in signed_in.json()["error"], path
    large = httpx.post(
        server.url + "/gradio_api/queue/join",
        content=b"[" + b"0," * (1024 * 1024) + b"0]",
        headers={USER: "uploader", "Content-Type": "application/json"},
        timeout=60,
    )
    assert large.status_code == 413 and "1024 KB" in large.json()["error"]
    assert files_in(server.temp_folders) == before


def test_the_chat_answer_is_logged_under_the_request_id_it_was_sent(server: Server) -> None:
    client = Client(server.url + "/", verbose=False, headers={USER: "marie", "X-Request-ID": "chat-42"})
    chat = client.predict(QUESTION, "auto", [], api_name="/ask")[0]
    assert "Gilson" in str(chat[-1]["content"])
    answers = [line for line in log_lines(server) if line["request_id"] == "chat-42"]
    assert [(a["event"], a["endpoint"], a["status"], a["responder"]) for a in answers] == [
        ("answer", "chat", 200, "extractive")
    ]
    assert "question" not in answers[0] and "InterAging" not in server.log.read_text()


def test_the_rate_limit_holds_for_the_api_and_the_chat_alike(server: Server) -> None:
    pierre = {USER: "pierre"}
    for _ in range(2):
        assert httpx.post(server.url + "/api/ask", json={"question": QUESTION}, headers=pierre, timeout=60).is_success
    refused = httpx.post(server.url + "/api/ask", json={"question": QUESTION}, headers=pierre, timeout=60)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0 and refused.json()["error"]
    assert re.fullmatch(r"[0-9a-f]{32}", refused.headers["x-request-id"])
    with pytest.raises(Exception, match="429"):
        Client(server.url + "/widget/", verbose=False, headers=pierre).predict(QUESTION, "auto", [], api_name="/ask")
    other = httpx.post(server.url + "/api/ask", json={"question": QUESTION}, headers={USER: "anne"}, timeout=60)
    assert other.status_code == 200


def test_metrics_need_credentials_and_count_what_happened(server: Server) -> None:
    assert httpx.get(server.url + "/metrics").status_code == 401
    zoe = {USER: "zoe"}
    assert httpx.post(server.url + "/widget/gradio_api/upload", files={"files": ("a", b"a")}, headers=zoe).is_error
    assert httpx.post(server.url + "/api/ask", json={"question": QUESTION}, headers=zoe, timeout=60).is_success
    metrics = httpx.get(server.url + "/metrics", headers=zoe).text
    assert re.search(r'assistant_http_requests_total\{endpoint="widget:upload",status="403"\} [1-9]', metrics)
    assert re.search(r'assistant_http_requests_total\{endpoint="/api/ask",status="200"\} [1-9]', metrics)
    assert re.search(r'assistant_answers_total\{responder="extractive"\} [1-9]', metrics)
    assert "assistant_index_chunks 25.0" in metrics and "assistant_index_generation 1.0" in metrics
