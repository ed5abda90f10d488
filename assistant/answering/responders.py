"""Responders turn a question and its passages into a draft answer with [n] markers.

- `extractive`: no LLM; quotes the passages' sentences closest to the question.
- `local`: Qwen2.5-Coder-1.5B-Instruct (GGUF from PyPI parts) run by llama-cpp-python.
- `openai`: any OpenAI-compatible chat endpoint (vLLM, llama.cpp server, Ollama).
The chain checks every draft (`assistant.answering.grounding`); responders only write.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.answering import prompts
from assistant.answering.grounding import facts
from assistant.errors import BackendUnavailableError, ConfigurationError
from assistant.lexicon import ANSWER_TYPES
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.keyword import analyze
from assistant.schema import Passage
from assistant.settings import LLMSettings
from assistant.text import fold, normalize_spaces, sentence_spans


class Responder(Protocol):
    name: str

    def stream(self, question: str, passages: Sequence[Passage], language: str) -> Iterator[str]:
        """Pieces of the draft answer, markers [n] numbering `passages` from 1."""
        ...


class ExtractiveResponder:
    """Quotes, verbatim, the sentences of the passages that are closest to the question."""

    name = "extractive"

    def __init__(self, embedder: SentenceEmbedder, max_sentences: int = 3, margin: float = 0.03) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.margin = margin
        self._vectors: dict[str, np.ndarray] = {}  # sentence → vector: passages recur across questions

    def _embed(self, sentences: list[str]) -> np.ndarray:
        missing = [s for s in dict.fromkeys(sentences) if s not in self._vectors]
        if missing:
            if len(self._vectors) > 50_000:
                self._vectors.clear()
            for sentence, vector in zip(missing, self.embedder.embed_documents(missing), strict=True):
                self._vectors[sentence] = np.asarray(vector, dtype=np.float32)
        return np.stack([self._vectors[s] for s in sentences])

    def select(
        self, question: str, passages: Sequence[Passage], max_sentences: int | None = None, margin: float | None = None
    ) -> list[tuple[int, str]]:
        """(passage number, sentence) pairs that answer best, in reading order."""
        seen: set[str] = set()
        units = [
            (n, position, text)
            for n, p in enumerate(passages, start=1)
            for position, text in enumerate(_units(p.original))
            if text not in seen and not seen.add(text)  # type: ignore[func-returns-value]
        ]
        if not units:
            return []
        # A sentence is read under its heading: "Sa coordination … Éric Gilson" is about InterAging.
        headings = [passages[n - 1].section.split(" › ")[-1] for n, _, _ in units]
        contextual = [f"{h}: {text}" if h else text for h, (_, _, text) in zip(headings, units, strict=True)]
        query = np.asarray(self.embedder.embed_query(question), dtype=np.float32)
        scores = self._embed(contextual) @ query
        # Words of the question found in the sentence (stemmed, both languages), its numbers and
        # codes, and the kind of answer asked for ("who" → a name) say what was asked about.
        wanted_terms = set(analyze(question, "fr")) | set(analyze(question, "en"))
        wanted_numbers = {f for f in facts(question) if any(c.isdigit() for c in f)}
        # The kind of answer is asked by the last question: a follow-up is searched after the earlier ones.
        asked = re.split(r"(?<=\?)\s+", question.strip())[-1]
        answer_type = next((pattern for asks, pattern in ANSWER_TYPES if asks.search(fold(asked))), None)
        for i, (n, _, _) in enumerate(units):
            text = contextual[i]
            scores[i] += (
                0.01 * len(wanted_terms & set(analyze(text, passages[n - 1].language)))
                + 0.02 * len(wanted_numbers & facts(text))
                + (0.03 if answer_type and answer_type.search(units[i][2]) else 0.0)
            )
        best = float(scores.max())
        order = sorted(range(len(units)), key=lambda i: -scores[i])
        margin = self.margin if margin is None else margin
        chosen = [i for i in order if scores[i] >= best - margin][: max_sentences or self.max_sentences]
        chosen = self._with_list_items(units, chosen)
        return [(units[i][0], units[i][2]) for i in sorted(chosen, key=lambda i: (units[i][0], units[i][1]))]

    @staticmethod
    def _with_list_items(units: list[tuple[int, int, str]], chosen: list[int]) -> list[int]:
        """A sentence that introduces a list ("… sont :") comes with the list's items."""
        extended = list(chosen)
        for i in chosen:
            if units[i][2].rstrip().endswith(":"):
                j = i + 1
                while j < len(units) and units[j][0] == units[i][0] and _is_item(units[j][2]) and j - i <= 10:
                    extended.append(j)
                    j += 1
        return list(dict.fromkeys(extended))

    def focus(self, question: str, passages: Sequence[Passage], max_sentences: int = 6) -> list[Passage]:
        """The passages cut down to their sentences closest to the question, numbering kept.

        A language model reads about 55 tokens a second here: handing it a few sentences
        instead of whole passages is what keeps its first token within seconds.
        """
        kept: dict[int, list[str]] = {}
        for n, text in self.select(question, passages, max_sentences=max_sentences, margin=0.1):
            kept.setdefault(n, []).append(text)
        return [replace(p, text="\n".join(kept.get(n, []))) for n, p in enumerate(passages, start=1)]

    def stream(self, question: str, passages: Sequence[Passage], language: str) -> Iterator[str]:
        selected = self.select(question, passages)
        if not selected:
            return
        other_language = any(passages[n - 1].language != language for n, _ in selected)
        intro = (prompts.EXTRACTIVE_INTRO_OTHER_LANGUAGE if other_language else prompts.EXTRACTIVE_INTRO)[language]
        lines = [f"- {text.lstrip('•◦▪-–+* ').strip()} [{n}]" for n, text in selected]
        yield intro + "\n" + "\n".join(lines)


def _units(original: str) -> list[str]:
    """Sentences and list items of a passage; an item keeps its indented continuation lines."""
    lines: list[str] = []
    for line in original.split("\n"):
        continuation = lines and _is_item(lines[-1].lstrip()) and _indent(line) > _indent(lines[-1])
        if continuation and line.strip():
            lines[-1] += " " + line.strip()
        elif line.strip():
            lines.append(line)
    units = []
    for line in lines:
        text = normalize_spaces(line)
        units += [text] if _is_item(text) else [text[a:b].strip() for a, b in sentence_spans(text)]
    return [u for u in units if len(u.split()) >= 2]


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_item(text: str) -> bool:
    return text[:1] in "•◦▪-–+*"


class LlamaResponder:
    """The bundled local model through llama-cpp-python."""

    name = "local"

    def __init__(self, settings: LLMSettings, data_dir: Path) -> None:
        self.settings = settings
        self.data_dir = data_dir
        # A llama.cpp context runs one generation at a time (and uses every core): concurrent
        # users queue here. The lock also covers loading, so the model is loaded once.
        self._lock = threading.Lock()

    @cached_property
    def llm(self) -> Any:
        from assistant.models.local_model import ensure_gguf, llama_available

        if not llama_available():
            raise ConfigurationError(
                "The local model needs llama-cpp-python and the model parts: "
                'pip install -c constraints.txt -e ".[local-llm]" (or choose --responder extractive).'
            )
        from llama_cpp import Llama

        path = ensure_gguf(self.data_dir, self.settings.local_model)
        return Llama(model_path=str(path), n_ctx=self.settings.n_ctx, n_threads=self.settings.n_threads, verbose=False)

    def _chat(self, messages: list[dict[str, str]], max_tokens: int, stream: bool) -> Any:
        return self.llm.create_chat_completion(
            messages=messages, max_tokens=max_tokens, stream=stream, temperature=self.settings.temperature
        )

    def stream(self, question: str, passages: Sequence[Passage], language: str) -> Iterator[str]:
        with self._lock:
            for chunk in self._chat(prompts.messages(question, passages, language), self.settings.max_tokens, True):
                piece = chunk["choices"][0]["delta"].get("content")
                if piece:
                    yield piece

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> str:
        with self._lock:
            return str(self._chat(messages, max_tokens, False)["choices"][0]["message"]["content"] or "")


class OpenAIResponder:
    """Any server speaking the OpenAI chat-completions API."""

    name = "openai"

    def __init__(self, settings: LLMSettings) -> None:
        self.settings = settings

    def _post(self, messages: list[dict[str, str]], max_tokens: int, stream: bool) -> Iterator[dict[str, Any]]:
        import httpx

        url = self.settings.openai_base_url.rstrip("/") + "/chat/completions"
        key = self.settings.openai_api_key.get_secret_value()
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        body = {
            "model": self.settings.openai_model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": self.settings.temperature,
            "stream": stream,
        }
        try:
            with httpx.stream("POST", url, json=body, headers=headers, timeout=self.settings.timeout_s) as response:
                if response.status_code >= 400:
                    response.read()
                    raise BackendUnavailableError(
                        f"The LLM endpoint {url} answered {response.status_code}: {response.text[:200]}"
                    )
                if not stream:
                    response.read()
                    yield response.json()
                    return
                for line in response.iter_lines():
                    if line.startswith("data:") and line[5:].strip() != "[DONE]":
                        yield json.loads(line[5:])
        except httpx.HTTPError as error:
            raise BackendUnavailableError(f"The LLM endpoint {url} cannot be reached ({error}).") from None

    def stream(self, question: str, passages: Sequence[Passage], language: str) -> Iterator[str]:
        for event in self._post(prompts.messages(question, passages, language), self.settings.max_tokens, True):
            choices = event.get("choices") or [{}]
            piece = (choices[0].get("delta") or {}).get("content")
            if piece:
                yield piece

    def complete(self, messages: list[dict[str, str]], max_tokens: int) -> str:
        response = next(self._post(messages, max_tokens, False))
        return str(response["choices"][0]["message"]["content"] or "")


def _local_model_installed(model: str) -> bool:
    from assistant.models.local_model import PACKAGED_MODELS, llama_available, part_paths

    if not llama_available() or model not in PACKAGED_MODELS:
        return False
    try:
        part_paths(PACKAGED_MODELS[model])
    except ConfigurationError:
        return False
    return True


def make_responder(name: str, settings: LLMSettings, embedder: SentenceEmbedder, data_dir: Path) -> Responder:
    """The responder called `name` ("auto": the local model if it is fully installed, else extractive)."""
    if name == "auto":
        name = "local" if _local_model_installed(settings.local_model) else "extractive"
    factories: dict[str, Callable[[], Responder]] = {
        "extractive": lambda: ExtractiveResponder(embedder),
        "local": lambda: LlamaResponder(settings, data_dir),
        "openai": lambda: OpenAIResponder(settings),
    }
    if name not in factories:
        raise ConfigurationError(f"Unknown responder {name!r}: choose one of auto, {', '.join(factories)}.")
    return factories[name]()
