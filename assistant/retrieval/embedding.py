"""The embedder: a sentence-transformers model behind LangChain's `Embeddings` interface.

e5 models expect "query: " before questions and "passage: " before documents; the
prefixes are settings and always applied, whatever the model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigurationError
from assistant.models import bundled_e5, onnx_e5
from assistant.settings import EmbeddingSettings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class SentenceEmbedder(Embeddings):
    def __init__(
        self, model: str, query_prefix: str, passage_prefix: str, batch_size: int = 16, identity: str | None = None
    ) -> None:
        self.model_name = model
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.batch_size = batch_size
        # What the index records: vectors from another model or prefixes are not reused.
        self.identity = identity or f"{model}|{query_prefix}|{passage_prefix}"
        # Hugging Face fast tokenizers fail with "Already borrowed" when two threads encode at
        # once (the UI serves several users): one encode at a time; a query takes ~20 ms.
        self._lock = threading.RLock()

    @cached_property
    def model(self) -> SentenceTransformer:
        from sentence_transformers import SentenceTransformer

        try:
            return SentenceTransformer(self.model_name, device="cpu")
        except OSError as error:
            raise ConfigurationError(
                f"Cannot load the embedding model {self.model_name!r} ({error}). Set "
                "ASSISTANT_EMBEDDING__MODEL to a local sentence-transformers folder, or unset it "
                "to use the bundled model."
            ) from None

    @cached_property
    def _count(self) -> Callable[[str], int]:
        # tokenizer.json alone loads in a fraction of the model's time: counting tokens
        # to size chunks must not pay for loading torch when nothing needs embedding.
        path = Path(self.model_name) / "tokenizer.json"
        if path.is_file():
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(path))
            return lambda text: len(tokenizer.encode(text).ids)
        return lambda text: len(self.model.tokenizer(text)["input_ids"])

    def count_tokens(self, text: str) -> int:
        """Tokens the model reads for `text` as a passage, special tokens included."""
        return self._count(self.passage_prefix + text)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors: Any = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return [[float(x) for x in row] for row in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self.query_prefix + text])[0]


class OnnxEmbedder(SentenceEmbedder):
    """The bundled model's int8 ONNX export (`assistant/onnx_e5.py`), run by onnxruntime."""

    def __init__(self, folder: Path, query_prefix: str, passage_prefix: str, identity: str | None = None) -> None:
        # The folder holds the converted model's tokenizer.json: token counts, hence chunks, are the same.
        super().__init__(str(folder), query_prefix, passage_prefix, batch_size=1, identity=identity)

    @cached_property
    def runtime(self) -> onnx_e5.OnnxModel:
        return onnx_e5.OnnxModel(Path(self.model_name))

    def _encode(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self.runtime.encode(texts)
        return [[float(x) for x in row] for row in vectors]


def make_embedder(settings: EmbeddingSettings, data_dir: Path) -> SentenceEmbedder:
    """The configured embedder; the bundled model is converted (and exported) on first use."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # a bar per model load is noise in CLI output
    prefixes = f"{settings.query_prefix}|{settings.passage_prefix}"
    bundled = settings.model == bundled_e5.BUNDLED_MODEL_NAME
    match settings.backend:
        case "torch" if bundled:
            path = bundled_e5.ensure_model(data_dir)
            return SentenceEmbedder(
                str(path),
                settings.query_prefix,
                settings.passage_prefix,
                settings.batch_size,
                identity=f"{path.name}|{prefixes}",
            )
        case "torch":
            return SentenceEmbedder(settings.model, settings.query_prefix, settings.passage_prefix, settings.batch_size)
        case "onnx-int8" if bundled:
            # The folder's name says the backend: the index never mixes its vectors with fp32 ones.
            path = onnx_e5.ensure_onnx_model(data_dir)
            return OnnxEmbedder(
                path, settings.query_prefix, settings.passage_prefix, identity=f"{path.name}|{prefixes}"
            )
        case "onnx-int8":
            raise ConfigurationError(
                f"The onnx-int8 embedding backend is built from the bundled model only, not {settings.model!r}: "
                "unset ASSISTANT_EMBEDDING__MODEL, or set ASSISTANT_EMBEDDING__BACKEND=torch."
            )
        case _:
            raise ValueError(f"Unsupported embedding backend {settings.backend!r}")
