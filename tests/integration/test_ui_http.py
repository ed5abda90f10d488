"""`python -m ui` over real HTTP: the JSON API, its event stream, the Gradio chat through
`gradio_client`, and the pages' security headers. The server runs the extractive responder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from gradio_client import Client

from assistant.answering.chain import Assistant
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.settings import Settings, StoreSettings
from tests.helpers import REPO, UIServer, cli_env, make_settings

pytestmark = pytest.mark.integration

QUESTION_FR = "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"
QUESTION_EN = "Who coordinates the InterAging programme?"


def ask(server: UIServer, body: object, path: str = "/api/ask") -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=60)


def events(response: httpx.Response) -> list[tuple[str, dict[str, object]]]:
    parsed = []
    for block in response.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        parsed.append((lines["event"], json.loads(lines["data"])))
    return parsed


def test_health_reports_the_index(ui_server: UIServer) -> None:
    health = httpx.get(ui_server.url + "/healthz").json()
    assert health["status"] == "ok" and health["chunks"] == 25 and health["responder"] == "extractive"


def test_api_answers_exactly_like_the_cli(ui_server: UIServer, indexed: Settings) -> None:
    response = ask(ui_server, {"question": QUESTION_FR})
    assert response.status_code == 200
    api = response.json()
    cli = json.loads(
        subprocess.run(
            [sys.executable, "-m", "assistant", "ask", "--json", "--responder", "extractive", QUESTION_FR],
            cwd=REPO,
            env=cli_env(indexed),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert api.keys() == cli.keys()
    assert (api["answer"], api["citations"]) == (cli["answer"], cli["citations"])
    assert "97" in api["answer"] and api["language"] == "fr" and not api["abstained"]


def test_api_follows_up_with_history_across_languages(ui_server: UIServer) -> None:
    first = ask(ui_server, {"question": "What is InterAging?"}).json()
    history = [{"role": "user", "content": "What is InterAging?"}, {"role": "assistant", "content": first["answer"]}]
    answer = ask(ui_server, {"question": "And who coordinates it?", "history": history}).json()
    assert "Gilson" in answer["answer"] and answer["language"] == "en"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"question": "   "}, 400, "empty"),
        ({"question": "x" * 5000}, 400, "limit"),
        ({}, 422, "question"),
        ({"question": "ok?", "language": "de"}, 422, "language"),
        ({"question": "ok?", "history": [{"role": "system", "content": "obey"}]}, 422, "role"),
        ("not an object", 422, "Invalid request"),
    ],
)
def test_bad_requests_get_a_json_error_saying_what_to_fix(
    ui_server: UIServer, body: object, status: int, says: str
) -> None:
    for path in ("/api/ask", "/api/ask/stream"):
        response = ask(ui_server, body, path)
        assert response.status_code == status, path
        assert says in response.json()["error"]


def test_body_that_is_not_json_is_refused(ui_server: UIServer) -> None:
    response = httpx.post(
        ui_server.url + "/api/ask", content=b"\xff\xfe<html>", timeout=10, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and "error" in response.json()


def test_stream_sends_sources_then_tokens_then_the_final_answer(ui_server: UIServer) -> None:
    response = ask(ui_server, {"question": QUESTION_EN}, "/api/ask/stream")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    stream = events(response)
    names = [name for name, _ in stream]
    assert names[0] == "sources" and names[-1] == "final" and "token" in names
    final = stream[-1][1]
    assert final == ask(ui_server, {"question": QUESTION_EN}).json() | {"timings_ms": final["timings_ms"]}
    assert "Gilson" in str(final["answer"])


def test_stream_of_an_off_topic_question_abstains_without_sources(ui_server: UIServer) -> None:
    stream = events(ask(ui_server, {"question": "Quelle est la recette de la tarte tatin ?"}, "/api/ask/stream"))
    assert [name for name, _ in stream] == ["final"]
    assert stream[0][1]["abstained"] is True and "Je ne sais pas" in str(stream[0][1]["answer"])


def test_gradio_chat_streams_sources_then_the_cited_answer(ui_server: UIServer) -> None:
    client = Client(ui_server.url + "/", verbose=False)
    job = client.submit(QUESTION_FR, "auto", [], api_name="/ask")
    updates = list(job)
    chats, panels = [u[0] for u in updates], [u[1] for u in updates]
    first_with_sources = next(i for i, p in enumerate(panels) if "source-card" in str(p))
    first_answered = next(i for i, c in enumerate(chats) if "97" in str(c[-1]["content"]))
    assert first_with_sources < first_answered  # sources are shown while the answer is still being written
    final_chat, final_panel = job.outputs()[-1][:2]
    assert 'class="cite" href="#src-1-1"' in str(final_chat[-1]["content"])
    assert 'id="src-1-1"' in final_panel and "<mark>" in final_panel


def test_gradio_chat_answers_in_the_language_chosen(ui_server: UIServer) -> None:
    client = Client(ui_server.url + "/widget/", verbose=False)
    chat = client.predict(QUESTION_FR, "en", [], api_name="/ask")[0]
    assert "Here is what the sources say" in str(chat[-1]["content"])


def test_pages_are_served_with_embedding_rules(ui_server: UIServer) -> None:
    for page in ("/", "/widget/"):
        response = httpx.get(ui_server.url + page)
        assert response.status_code == 200
        assert response.headers["content-security-policy"] == f"frame-ancestors 'self' {ui_server.host_page_origin}"
    script = httpx.get(ui_server.url + "/embed.js")
    assert script.headers["content-type"].startswith("text/javascript") and "/widget/" in script.text


def test_pages_load_nothing_from_the_internet(ui_server: UIServer) -> None:
    html = httpx.get(ui_server.url + "/widget/").text
    assert "fonts.googleapis" not in html and "cdn." not in html


@pytest.fixture
def empty_index_app(tmp_path: Path, model_data_dir: Path, embedder: SentenceEmbedder) -> TestClient:
    from ui.app import create_app
    from ui.service import AnswerService

    settings = make_settings(
        data_dir=model_data_dir,
        store=StoreSettings(path=tmp_path / "empty-index"),
        ui={"feedback_db": tmp_path / "f.db"},
    )
    service = AnswerService(Assistant.from_settings(settings, "extractive", embedder), settings.ui)
    return TestClient(create_app(settings, service))


def test_without_an_index_the_app_still_starts_and_says_what_to_do(empty_index_app: TestClient) -> None:
    health = empty_index_app.get("/healthz")
    assert health.status_code == 503 and "python -m ingest" in health.json()["error"]
    answer = empty_index_app.post("/api/ask", json={"question": QUESTION_EN})
    assert answer.status_code == 503 and "python -m ingest" in answer.json()["error"]
    assert empty_index_app.get("/").status_code == 200
