"""Deterministic stand-ins that are real subclasses of the product's classes."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from assistant.answering.responders import ChatResponder
from assistant.retrieval.embedding import SentenceEmbedder


def count_words(text: str) -> int:
    """A token count close to a subword tokenizer's on French and English prose."""
    return len(re.findall(r"\w+|[^\w\s]", text))


class FakeEmbedder(SentenceEmbedder):
    """Vectors computed from the words of the text (hashed bag of words), calls counted."""

    def __init__(self, identity: str = "fake-embedder", dim: int = 64) -> None:
        super().__init__("fake", "query: ", "passage: ", identity=identity)
        self.dim = dim
        self.embedded: list[str] = []
        self.counted = 0

    def count_tokens(self, text: str) -> int:
        self.counted += 1
        return count_words(text)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        vectors = []
        for text in texts:
            vector = [0.0] * self.dim
            for word in re.findall(r"\w+", text.lower()):
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
            norm = math.sqrt(sum(x * x for x in vector)) or 1.0
            vectors.append([x / norm for x in vector])
        return vectors


class ScriptedChatModel(BaseChatModel):
    """A LangChain chat model whose replies are scripted: `drafts` answer the answering prompt (it
    starts with the system prompt), `rewrites` the others. Records every prompt; raises `error` if set."""

    drafts: list[str] = Field(default_factory=list)
    rewrites: list[str] = Field(default_factory=list)
    error: Exception | None = None
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _reply(self, messages: list[BaseMessage]) -> str:
        self.prompts.append(messages)
        if self.error:
            raise self.error
        return (self.drafts if isinstance(messages[0], SystemMessage) else self.rewrites).pop(0)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self._reply(messages)))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        reply = self._reply(messages)
        for start in range(0, len(reply), 7):  # pieces, as a model streams them
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=reply[start : start + 7]))
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk


def scripted(drafts: list[str], rewrites: list[str] | None = None, error: Exception | None = None) -> ChatResponder:
    """A responder named "scripted" over a `ScriptedChatModel` (its `.model`)."""
    return ChatResponder(ScriptedChatModel(drafts=drafts, rewrites=rewrites or [], error=error), "scripted")
