"""The operator page over a real feedback database and a real Chroma index: who may see it, what it shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings, UISettings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, FakeEmbedder
from ui import admin
from ui.feedback import FeedbackStore, to_gold_case
from ui.security import secure

CITATION = {
    "n": 1,
    "source_id": "inserm-international-fr",
    "title": "L’Inserm <i>monde</i>",
    "section": "Europe",
    "url": "javascript:alert(1)",
    "language": "fr",
    "text": "L’Inserm coordonne 97 projets.",
    "score": 0.5,
}


def answer(question: str, text: str, language: str = "fr") -> dict[str, object]:
    return {
        "question": question,
        "language": language,
        "answer": text,
        "abstained": False,
        "responder": "extractive",
        "citations": [CITATION],
    }


@pytest.fixture
def feedback(tmp_path: Path) -> FeedbackStore:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(["Combien de projets ?"], answer("Combien de projets ?", "97 projets [1]."), "up")
    first_down = store.record(
        ["<script>alert(1)</script> projets ?"], answer("<script>alert(1)</script> projets ?", "97 [1]."), "down"
    )
    store.set_comment(first_down, "Il manque <b>212</b>.")
    store.record(["Qui ?", "Et à Londres ?"], answer("Et à Londres ?", "MRC [1].", "en"), "down")
    return store


@pytest.fixture
def index(settings: Settings) -> ChunkStore:
    store = ChunkStore.open(settings)
    ingest([CORPUS], settings, FakeEmbedder(), store)
    return store


def client(feedback: FeedbackStore, index: ChunkStore, **ui: object) -> TestClient:
    settings = UISettings(**ui)  # type: ignore[arg-type]
    app = FastAPI()
    app.include_router(admin.router(feedback, index, settings))
    secure(app, settings)
    return TestClient(app)


def test_only_operators_get_the_page(feedback: FeedbackStore, index: ChunkStore) -> None:
    nobody_configured = client(feedback, index).get("/admin")
    assert nobody_configured.status_code == 403 and "ASSISTANT_UI__ADMIN_USERS" in nobody_configured.json()["error"]

    proxied = client(feedback, index, trusted_user_header="X-Forwarded-User", admin_users=["alice"])
    assert proxied.get("/admin").status_code == 401  # not authenticated at all
    assert proxied.get("/admin", headers={"X-Forwarded-User": "bob"}).status_code == 403  # a user, not an operator
    assert proxied.get("/admin/export.jsonl", headers={"X-Forwarded-User": "bob"}).status_code == 403
    assert proxied.get("/admin", headers={"X-Forwarded-User": "alice"}).status_code == 200

    token = client(feedback, index, auth_token="s3cret")
    assert token.get("/admin", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert token.get("/admin", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_feedback_shows_thumbs_down_first_newest_first_with_everything_escaped(
    feedback: FeedbackStore, index: ChunkStore
) -> None:
    page = client(feedback, index, auth_token="t").get("/admin", headers={"Authorization": "Bearer t"}).text
    assert re.findall(r'id="feedback-(\d+)"', page) == ["3", "2", "1"]
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; projets ?" in page
    assert "Il manque &lt;b&gt;212&lt;/b&gt;." in page  # the comment
    assert "L’Inserm &lt;i&gt;monde&lt;/i&gt; › Europe" in page and "L’Inserm coordonne 97 projets." in page
    assert "javascript:" not in page  # a citation's URL that is not http(s) is not linked
    assert "<li>Qui ?</li>" in page  # the earlier turns of a follow-up


def test_filters_by_rating_language_and_comment(feedback: FeedbackStore, index: ChunkStore) -> None:
    get = client(feedback, index, auth_token="t").get

    def shown(query: str) -> list[str]:
        return re.findall(r'id="feedback-(\d+)"', get(f"/admin?{query}", headers={"Authorization": "Bearer t"}).text)

    assert shown("rating=up") == ["1"]
    assert shown("rating=down&language=fr") == ["2"]
    assert shown("commented=true") == ["2"]
    assert shown("language=en") == ["3"]


def test_the_export_gives_the_shown_entries_as_gold_cases(feedback: FeedbackStore, index: ChunkStore) -> None:
    response = client(feedback, index, auth_token="t").get(
        "/admin/export.jsonl?rating=down", headers={"Authorization": "Bearer t"}
    )
    assert "attachment" in response.headers["content-disposition"]
    cases = [json.loads(line) for line in response.text.splitlines()]
    by_id = {e.id: e for e in feedback.entries()}
    assert cases == [to_gold_case(by_id[3]), to_gold_case(by_id[2])]


def test_the_index_status_names_the_active_generation_and_counts_chunks_per_source(
    feedback: FeedbackStore, index: ChunkStore
) -> None:
    status = index.status()
    counts: dict[str, int] = {}
    for chunk in index.stored_chunks(index.require_active()):
        counts[chunk.metadata["source_id"]] = counts.get(chunk.metadata["source_id"], 0) + 1
    assert status.chunks_per_source == counts and set(counts) == {
        "inserm-international-fr",
        "inserm-international-policy-en",
    }
    assert status.generation == index.require_active().name and status.built and status.published
    page = client(feedback, index, auth_token="t").get("/admin", headers={"Authorization": "Bearer t"}).text
    assert status.generation in page and status.built in page
    assert f"<tr><td>inserm-international-fr</td><td>{counts['inserm-international-fr']}</td></tr>" in page
