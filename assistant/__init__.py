"""The assistant's domain (chunks, embeddings, the index, answering) and its LangChain entry points.

    make_retriever(settings=None) -> a LangChain BaseRetriever: question → Documents
    make_chain(settings=None, responder=None, chat_model=None) -> a LangChain Runnable: request → answer dict

Both import their dependencies (Chroma, the models) only when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.answering.chain import AnswerChain
    from assistant.retrieval.retriever import PassageRetriever
    from assistant.settings import Settings


def make_retriever(settings: Settings | None = None) -> PassageRetriever:
    """Hybrid retrieval with the language quota, as a LangChain retriever (see the README)."""
    from assistant.retrieval.retriever import make_retriever

    return make_retriever(settings)


def make_chain(
    settings: Settings | None = None, responder: str | None = None, chat_model: BaseChatModel | None = None
) -> AnswerChain:
    """The answering chain (retrieval, drafting, grounding, abstention) as a LangChain Runnable (see the README)."""
    from assistant.answering.chain import make_chain

    return make_chain(settings, responder, chat_model)


__all__ = ["make_chain", "make_retriever"]
