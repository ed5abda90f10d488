"""Unit fixtures: the real app (FastAPI + Gradio) on a real Chroma indexed with the fake embedder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.answering.chain import Assistant
from assistant.answering.responders import ExtractiveResponder, Responder
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings, UISettings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, FakeEmbedder, make_settings

AppClient = Callable[..., TestClient]


@pytest.fixture(scope="session")
def fake_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The shipped corpus indexed once with the fake embedder (every cosine passes the abstention guard)."""
    settings = make_settings(data_dir=tmp_path_factory.mktemp("app-data"))
    settings.retrieval.min_similarity = 0.0
    settings.retrieval.translate_query = False  # scripted drafts answer the answering prompt only
    embedder = FakeEmbedder()
    ingest([CORPUS], settings, embedder, ChunkStore.open(settings, "inserm"))
    return settings


@pytest.fixture
def app_client(fake_index: Settings, tmp_path: Path) -> AppClient:
    """`app_client(responder=None, **ui_settings)`: a test client of `create_app`; the extractive responder
    unless another (e.g. `tests.helpers.scripted(...)`) is given."""
    from ui.app import create_app
    from ui.service import AnswerService

    def make(responder: Responder | None = None, **ui: object) -> TestClient:
        settings = fake_index.model_copy(update={"ui": UISettings(feedback_db=tmp_path / "feedback.db", **ui)})  # type: ignore[arg-type]
        embedder = FakeEmbedder()
        store = ChunkStore.open(settings)
        extractive = ExtractiveResponder(embedder)
        retriever = HybridRetriever(store, embedder, settings.retrieval)
        assistant = Assistant(settings, retriever, responder or extractive, extractive)
        return TestClient(create_app(settings, AnswerService(assistant, settings.ui)))

    return make
