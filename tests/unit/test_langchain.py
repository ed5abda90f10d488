"""The LangChain contract: the retriever and the chain as Runnables, callbacks, a chat model passed in.

A real Chroma, the text-derived embedder and a scripted chat model (tests/helpers.py).
"""

from __future__ import annotations

import asyncio
import operator
from functools import reduce
from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from assistant.answering.chain import AnswerChain, Assistant
from assistant.errors import BackendUnavailableError, BadInputError
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.retriever import PassageRetriever
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, MISSIONS, FakeEmbedder, ScriptedChatModel

HORIZON = "Combien de projets Horizon Europe l'Inserm coordonne-t-il ?"
METADATA = {"id", "source_id", "title", "section", "url", "language", "score", "similarity", "original", "translations"}


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def indexed(settings: Settings, embedder: FakeEmbedder) -> Settings:
    settings.retrieval.min_similarity = 0.0  # the fake embedder's cosines are not e5's
    settings.answer.focus_sentences = 6  # and its hashed words rank the evidence sentence 4th to 6th
    settings.retrieval.translate_query = False  # scripted drafts answer the answering prompt only
    settings.answer.compose = "write"  # the scripted model writes whole drafts (quoting: tests/unit/test_quoting.py)
    hybrid = HybridRetriever.from_settings(settings, embedder)
    ingest([CORPUS], settings, embedder, hybrid.store)
    return settings


def chain(settings: Settings, embedder: FakeEmbedder, model: ScriptedChatModel | None = None) -> AnswerChain:
    return AnswerChain(Assistant.from_settings(settings, "extractive", embedder, chat_model=model))


def brussels_draft(settings: Settings, embedder: FakeEmbedder) -> str:
    """A draft the grounding check keeps: the Brussels passage's number, as the chain will number it."""
    documents = PassageRetriever(hybrid=HybridRetriever.from_settings(settings, embedder)).invoke(HORIZON)
    n = next(n for n, d in enumerate(documents, start=1) if "en coordonne 97" in d.page_content)
    return f"L’Inserm coordonne 97 projets Horizon Europe [{n}]."


class Recorder(BaseCallbackHandler):
    """Which runs started, and under which parent."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, UUID, UUID | None]] = []

    def on_chain_start(
        self, serialized: Any, inputs: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any
    ) -> None:
        self.runs.append(("chain", run_id, parent_run_id))

    def on_retriever_start(
        self, serialized: Any, query: str, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any
    ) -> None:
        self.runs.append(("retriever", run_id, parent_run_id))

    def on_chat_model_start(
        self, serialized: Any, messages: Any, *, run_id: UUID, parent_run_id: UUID | None = None, **kwargs: Any
    ) -> None:
        self.runs.append(("chat_model", run_id, parent_run_id))


def test_the_retriever_gives_documents_and_composes(indexed: Settings, embedder: FakeEmbedder) -> None:
    hybrid = HybridRetriever.from_settings(indexed, embedder)
    retriever = PassageRetriever(hybrid=hybrid)
    documents = retriever.invoke(HORIZON)
    passages = hybrid.retrieve(HORIZON, "fr")
    assert [d.page_content for d in documents] == [p.text for p in passages]
    assert all(isinstance(d, Document) and set(d.metadata) == METADATA for d in documents)
    assert [d.metadata["similarity"] for d in documents] == [p.similarity for p in passages]

    # In a pipeline of one's own, and with the language and k of the caller.
    def titles(docs: list[Document]) -> list[str]:
        return [d.metadata["title"] for d in docs]

    assert (retriever | RunnableLambda(titles)).invoke(HORIZON) == [p.title for p in passages]
    assert len(retriever.invoke(HORIZON, k=2, language="en")) == 2


def test_invoke_returns_the_ask_json_dict(indexed: Settings, embedder: FakeEmbedder) -> None:
    answers = chain(indexed, embedder)
    got = answers.invoke({"question": MISSIONS, "history": [], "language": None})
    expected = answers.assistant.ask(MISSIONS).to_json()
    assert {k: v for k, v in got.items() if k != "timings_ms"} == {
        k: v for k, v in expected.items() if k != "timings_ms"
    }
    assert got["answer"].startswith("Voici ce que disent les sources") and got["citations"]
    assert answers.invoke(MISSIONS)["answer"] == got["answer"]  # the question alone will do


def test_stream_gives_sources_then_pieces_then_the_checked_answer(indexed: Settings, embedder: FakeEmbedder) -> None:
    draft = brussels_draft(indexed, embedder)
    model = ScriptedChatModel(drafts=[draft, "L’Inserm coordonne 500 projets [1]."])
    answers = chain(indexed, embedder, model)
    chunks = list(answers.stream({"question": HORIZON}))
    assert list(chunks[0]) == ["sources"] and len(chunks[0]["sources"]) == indexed.retrieval.top_k
    assert all(list(c) == ["draft"] for c in chunks[1:-1]) and len(chunks) > 3
    assert chunks[-1]["answer"] == draft and chunks[-1]["responder"] == "ScriptedChatModel"
    total = reduce(operator.add, chunks)  # LangChain's AddableDicts add up
    assert total["draft"] == draft and total["sources"] == chunks[0]["sources"]
    # The streamed draft is not the answer when the checks reject it.
    last = list(answers.stream(HORIZON))[-1]
    assert "500" not in last["answer"] and last["responder"] == "extractive" and last["warnings"]


def test_a_chat_model_rewrites_follow_ups_and_answers(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.answer.followups = "model"
    model = ScriptedChatModel(drafts=[brussels_draft(indexed, embedder)], rewrites=[HORIZON])
    history = [{"role": "user", "content": "Parle-moi du bureau de Bruxelles."}, {"role": "assistant", "content": "…"}]
    answer = chain(indexed, embedder, model).invoke({"question": "Et combien de projets ?", "history": history})
    assert "97" in answer["answer"] and not answer["warnings"]
    rewrite, drafting = model.prompts
    assert "Parle-moi du bureau de Bruxelles." in rewrite[0].content and HORIZON in drafting[1].content


def test_callbacks_see_the_retriever_and_the_chat_model_under_the_chain(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    model = ScriptedChatModel(drafts=[brussels_draft(indexed, embedder)] * 2)
    for run in (lambda c, cfg: c.invoke(HORIZON, cfg), lambda c, cfg: list(c.stream(HORIZON, cfg))):
        recorder = Recorder()
        run(chain(indexed, embedder, model), {"callbacks": [recorder]})
        (kind, root, parent), *children = recorder.runs
        assert kind == "chain" and parent is None
        assert [(k, p) for k, _, p in children] == [("retriever", root), ("chat_model", root)]


def test_batch_ainvoke_and_astream_events(indexed: Settings, embedder: FakeEmbedder) -> None:
    answers = chain(indexed, embedder)
    first, second = answers.batch([MISSIONS, {"question": "Who heads the Brussels office?", "language": "en"}])
    assert first["language"] == "fr" and second["language"] == "en"
    assert asyncio.run(answers.ainvoke(MISSIONS))["answer"] == first["answer"]

    async def events() -> list[Any]:
        return [e async for e in answers.astream_events(MISSIONS, version="v2")]

    seen = asyncio.run(events())
    names = [e["event"] for e in seen]
    assert names[0] == "on_chain_start" and names[-1] == "on_chain_end" and "on_retriever_end" in names
    streamed = [e["data"]["chunk"] for e in seen if e["event"] == "on_chain_stream"]
    assert list(streamed[0]) == ["sources"] and streamed[-1]["answer"] == first["answer"]


def test_errors_come_out_as_the_assistant_s(indexed: Settings, embedder: FakeEmbedder) -> None:
    with pytest.raises(BadInputError, match="empty"):
        chain(indexed, embedder).invoke({"question": "  "})
    model = ScriptedChatModel(error=BackendUnavailableError("connection refused"))
    answer = chain(indexed, embedder, model).invoke(HORIZON)
    assert answer["responder"] == "extractive" and "connection refused" in answer["warnings"][0]
