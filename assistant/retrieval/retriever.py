"""The hybrid retriever as a LangChain `BaseRetriever`: `.invoke("question")` → `Document`s.

LangChain gives it `invoke`, `batch`, async, callbacks and tracing; the search itself (dense +
keyword, fused, with the language quota) stays in `HybridRetriever`. A `Document` carries the
passage as `page_content` and everything a citation needs in its metadata, so the chain turns
documents back into the very `Passage`s the hybrid retriever found.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever

from assistant.language import LANGUAGES, detect_language
from assistant.retrieval.hybrid import HybridRetriever
from assistant.schema import Passage
from assistant.settings import Settings, load_settings


class PassageRetriever(BaseRetriever):
    """Passages for a question; `language` (keyword analysis and quota) defaults to the question's."""

    hybrid: Any  # a HybridRetriever (not a pydantic type)
    k: int | None = None  # None: the settings' top_k

    def _get_relevant_documents(
        self,
        query: str,
        *,
        run_manager: CallbackManagerForRetrieverRun,
        language: str | None = None,
        k: int | None = None,
    ) -> list[Document]:
        passages = self.hybrid.retrieve(query, language or detect_language(query, LANGUAGES), k or self.k)
        return [to_document(p) for p in passages]


def to_document(passage: Passage) -> Document:
    """`page_content` is the passage as the responder reads it; `original` is the source's text."""
    return Document(
        page_content=passage.text,
        id=passage.id,
        metadata={
            "id": passage.id,
            "source_id": passage.source_id,
            "title": passage.title,
            "section": passage.section,
            "url": passage.url,
            "language": passage.language,
            "score": passage.score,
            "similarity": passage.similarity,
            "original": passage.original,
            "translations": dict(passage.translations),
        },
    )


def to_passage(document: Document) -> Passage:
    meta = document.metadata
    return Passage(
        id=meta["id"],
        source_id=meta["source_id"],
        title=meta["title"],
        section=meta["section"],
        url=meta["url"],
        language=meta["language"],
        text=document.page_content,
        original=meta["original"],
        score=meta["score"],
        similarity=meta["similarity"],
        translations=meta.get("translations", {}),
    )


def make_retriever(settings: Settings | None = None) -> PassageRetriever:
    """The retriever over the index that `settings` (default: the environment's) point at."""
    return PassageRetriever(hybrid=HybridRetriever.from_settings(settings or load_settings()))
