"""The vector store: Chroma, local (persistent folder) or a server. The only chromadb import.

Callers get our own types (`Generation`, `StoredChunk`, `Hit`), never chromadb's, and open the
store with `ChunkStore.open(settings)`.

A generation is two collections: its chunks, and next to it (`<name>__sentences`) one entry per sentence of
each chunk (`Sentence`), which dense search ranks chunks by as well. Apart, each is searched without a
filter, and a chunk's sentences are read by id (`<chunk id>#<position>`, the chunk's metadata counts them):
Chroma's filtered reads cost time in proportion to the collection (docs/benchmarks/scale.md).

An index is published in generations. Ingest builds a complete new generation, then one
atomic write to a small pointer collection makes it the active one. Until that write,
readers keep the previous generation, so an ingest killed half-way loses nothing; its
partial collections are kept as a cache of vectors that the next run reuses.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import chromadb
import httpx
import numpy as np
from chromadb import EmbeddingFunction
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from assistant.errors import BackendUnavailableError, EmptyIndexError
from assistant.schema import Chunk, Sentence
from assistant.settings import Settings, StoreSettings

# Generations built before sentences had a collection of their own hold them among the chunks, marked.
_LEGACY_CHUNKS: Any = {"kind": {"$ne": "sentence"}}
_SENTENCES_SUFFIX = "__sentences"
Vectors = Sequence[Sequence[float]] | np.ndarray


class _NoEmbeddingFunction(EmbeddingFunction):  # type: ignore[type-arg]
    """Given to every collection so that Chroma's default one (which downloads a model) never runs."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Any) -> Any:
        raise RuntimeError("vectors are computed by the assistant's embedder, never by Chroma")

    @staticmethod
    def name() -> str:
        return "inserm-assistant-precomputed"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _NoEmbeddingFunction:
        return _NoEmbeddingFunction()


@dataclass(frozen=True)
class StoredChunk:
    id: str
    metadata: dict[str, Any]


class Generation:
    """One generation of the index: a handle over its Chroma collections that callers only read."""

    def __init__(self, collection: Collection, sentences: Collection | None) -> None:
        self._collection = collection
        # None for a generation built before sentences had a collection of their own: until the next ingest
        # rebuilds it, its chunks are read apart from its sentences by a filter, and ranked by their whole text.
        self._sentences = sentences
        self._chunk_filter = None if sentences is not None else _LEGACY_CHUNKS

    @property
    def name(self) -> str:
        return self._collection.name

    @property
    def metadata(self) -> dict[str, Any]:
        return dict(self._collection.metadata or {})

    def count(self) -> int:
        """Its chunks."""
        if self._chunk_filter is None:
            return self._collection.count()
        return len(self._collection.get(where=self._chunk_filter, include=[])["ids"])


@dataclass(frozen=True)
class Hit:
    id: str
    document: str
    metadata: dict[str, Any]
    distance: float  # cosine distance to the query
    vector: list[float] | None = None


@dataclass(frozen=True)
class IndexStatus:
    """What an operator wants to know about the published index."""

    generation: str  # the active collection's name, e.g. "inserm-g000003"
    built: str  # when its ingest started (UTC, ISO 8601)
    published: str  # when it became the active one
    embedder: str
    chunks_per_source: dict[str, int]


def _connect(settings: StoreSettings, index_path: Path) -> ClientAPI:
    options = ChromaSettings(anonymized_telemetry=False)
    if settings.host:
        try:
            return chromadb.HttpClient(host=settings.host, port=settings.port, ssl=settings.ssl, settings=options)
        except Exception as error:  # chromadb raises plain ValueError/ConnectionError here
            raise _unreachable(settings.host, settings.port, error) from None
    index_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(index_path), settings=options)


def _unreachable(host: object, port: object, error: Exception) -> BackendUnavailableError:
    return BackendUnavailableError(
        f"Cannot reach the Chroma server at {host}:{port} ({error}). "
        "Start it (chroma run --path DIR --port PORT) or unset ASSISTANT_STORE__HOST "
        "to use the local index."
    )


_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")


def _server_reached(method: Callable[Concatenate[ChunkStore, _P], _R]) -> Callable[Concatenate[ChunkStore, _P], _R]:
    """A Chroma server that stops answering mid-way is an outage to report (503, what to do), not an internal
    error: chromadb lets httpx's connection errors through as they are."""

    @functools.wraps(method)
    def reading(store: ChunkStore, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(store, *args, **kwargs)
        except httpx.TransportError as error:
            chroma = store._client.get_settings()
            raise _unreachable(chroma.chroma_server_host, chroma.chroma_server_http_port, error) from None

    return reading


class ChunkStore:
    """Generations of one named index in a Chroma client."""

    def __init__(self, client: ClientAPI, name: str, page_size: int | None = None) -> None:
        self._client = client
        self.name = name
        self._no_ef = _NoEmbeddingFunction()
        # Whole generations are read page by page: a local Chroma fails to read more than about 32,000
        # records in one `get` ("too many SQL variables", SQLite's limit).
        self.page_size = page_size or client.get_max_batch_size()

    @classmethod
    def open(cls, settings: Settings, name: str | None = None, page_size: int | None = None) -> ChunkStore:
        """The index these settings point at (local folder or server); `name` overrides the collection's."""
        return cls(_connect(settings.store, settings.index_path), name or settings.store.collection, page_size)

    # -- reading -------------------------------------------------------------------------

    def _pointer(self) -> Collection:
        return self._client.get_or_create_collection(
            f"{self.name}-active", metadata={"active": ""}, embedding_function=self._no_ef
        )

    def _collection(self, name: str) -> Collection:
        return self._client.get_collection(name, embedding_function=self._no_ef)

    def _generation(self, name: str) -> Generation:
        chunks = self._collection(name)
        sentences = (chunks.metadata or {}).get("sentences")
        try:
            return Generation(chunks, self._collection(str(sentences)) if sentences else None)
        except NotFoundError:  # an ingest killed between creating the two: a cache of chunk vectors only
            return Generation(chunks, None)

    @_server_reached
    def active(self) -> Generation | None:
        """The published generation, or None before the first ingest."""
        name = (self._pointer().metadata or {}).get("active")
        if not name:
            return None
        try:
            return self._generation(str(name))
        except NotFoundError:
            return None

    @_server_reached
    def require_active(self) -> Generation:
        generation = self.active()
        # Chroma keeps the number of records, and a sentence entry never comes without its chunk.
        if generation is None or generation._collection.count() == 0:
            raise EmptyIndexError("The index is empty: run `python -m ingest` first.")
        return generation

    @_server_reached
    def count(self, generation: Generation) -> int:
        return generation.count()

    def _read_all(self, collection: Collection, include: list[str], where: Any = None) -> dict[str, list[Any]]:
        """Ids and `include` fields of every record of a collection that `where` selects (a published generation
        never changes)."""
        read: dict[str, list[Any]] = {field: [] for field in ["ids", *include]}
        offset = 0
        while True:
            found: Any = collection.get(where=where, include=cast(Any, include), limit=self.page_size, offset=offset)
            for field, values in read.items():
                values.extend(found[field] if found[field] is not None else [])  # embeddings: an array
            if len(found["ids"]) < self.page_size:
                return read
            offset += self.page_size

    def stored_chunks(self, generation: Generation) -> list[StoredChunk]:
        found = self._read_all(generation._collection, ["metadatas"], generation._chunk_filter)
        return [StoredChunk(i, dict(m or {})) for i, m in zip(found["ids"], found["metadatas"], strict=True)]

    @_server_reached
    def documents(self, generation: Generation) -> tuple[list[str], list[str], list[dict[str, Any]]]:
        """Ids, indexed texts and metadata of every chunk of a generation (for keyword search)."""
        found = self._read_all(generation._collection, ["documents", "metadatas"], generation._chunk_filter)
        return found["ids"], found["documents"], [dict(m or {}) for m in found["metadatas"]]

    @_server_reached
    def fetch(self, generation: Generation, ids: Sequence[str]) -> list[Hit]:
        """These chunks with their vectors, in the order asked (distance is unknown: -1)."""
        found = generation._collection.get(ids=list(ids), include=["documents", "metadatas", "embeddings"])
        embeddings: Any = found["embeddings"]
        by_id = {
            i: (d, dict(m or {}), [float(x) for x in v])
            for i, d, m, v in zip(
                found["ids"], found["documents"] or [], found["metadatas"] or [], embeddings, strict=True
            )
        }
        return [Hit(i, by_id[i][0], by_id[i][1], -1.0, by_id[i][2]) for i in ids if i in by_id]

    def neighbours(self, ids: Sequence[str], distance: int) -> list[StoredChunk]:
        """The chunks up to `distance` positions before or after these ones in their source, closest first."""
        collection = self.require_active()._collection
        found = collection.get(ids=list(ids), include=["metadatas"])
        positions: dict[str, set[int]] = {}
        for metadata in found["metadatas"] or []:
            positions.setdefault(str(metadata["source_id"]), set()).add(int(cast(int, metadata["position"])))
        near: list[tuple[int, StoredChunk]] = []
        for source, taken in positions.items():
            wanted = sorted({p + d for p in taken for d in range(-distance, distance + 1)} - taken)
            if not wanted:
                continue
            where: Any = {"$and": [{"source_id": source}, {"position": {"$in": wanted}}]}
            got = collection.get(where=where, include=["metadatas"])
            for i, metadata in zip(got["ids"], got["metadatas"] or [], strict=True):
                position = int(cast(int, metadata["position"]))
                near.append((min(abs(position - p) for p in taken), StoredChunk(i, dict(metadata))))
        return [chunk for _, chunk in sorted(near, key=lambda pair: pair[0])]

    def status(self) -> IndexStatus:
        """The active generation, when it was built and published, and its chunks per source."""
        collection = self.require_active()
        counts: dict[str, int] = {}
        for chunk in self.stored_chunks(collection):
            source = str(chunk.metadata.get("source_id", ""))
            counts[source] = counts.get(source, 0) + 1
        metadata, pointer = collection.metadata or {}, self._pointer().metadata or {}
        return IndexStatus(
            generation=collection.name,
            built=str(metadata.get("created", "")),
            published=str(pointer.get("updated", "")),
            embedder=str(metadata.get("embedder", "")),
            chunks_per_source=dict(sorted(counts.items())),
        )

    def cached_vectors(self, ids: Sequence[str], embedder: str) -> dict[str, np.ndarray]:
        """Vectors already computed by `embedder` for these chunks and sentences, in any generation (float32: a
        large index's vectors as lists of Python floats take several times the memory)."""
        vectors: dict[str, np.ndarray] = {}
        for generation in self._generations():
            if generation.metadata.get("embedder") != embedder:
                continue
            for collection in (generation._collection, generation._sentences):
                missing = [i for i in ids if i not in vectors]
                if collection is None or not missing:
                    continue
                for batch in _batches(missing, self._client.get_max_batch_size()):
                    found = collection.get(ids=batch, include=["embeddings"])
                    embeddings = np.asarray(found["embeddings"], dtype=np.float32)
                    vectors.update(zip(found["ids"], embeddings, strict=True))
        return vectors

    @_server_reached
    def sentences(self, generation: Generation, chunks: Sequence[Hit | StoredChunk]) -> list[Hit]:
        """The sentence entries of these chunks, with their vectors (distance is unknown: -1)."""
        ids = _sentence_ids(chunks)
        if generation._sentences is None or not ids:
            return []
        found: Any = generation._sentences.get(ids=ids, include=["documents", "metadatas", "embeddings"])
        return [
            Hit(i, d, dict(m or {}), -1.0, [float(x) for x in v])
            for i, d, m, v in zip(
                found["ids"], found["documents"], found["metadatas"], found["embeddings"], strict=True
            )
        ]

    @_server_reached
    def search(
        self, vector: Sequence[float], k: int, generation: Generation | None = None, sentences: bool = False
    ) -> list[Hit]:
        """The `k` chunks closest to `vector`, or with `sentences` the `k` closest sentence entries (each names
        its chunk in `metadata["chunk"]`)."""
        generation = generation or self.require_active()
        collection = generation._sentences if sentences else generation._collection
        if collection is None:
            return []
        query: Any = [list(vector)]
        found = collection.query(
            query_embeddings=query,
            n_results=k,
            where=None if sentences else generation._chunk_filter,
            include=["documents", "metadatas", "distances"],
        )
        return [
            Hit(i, d, dict(m or {}), float(s))
            for i, d, m, s in zip(
                found["ids"][0],
                (found["documents"] or [[]])[0],
                (found["metadatas"] or [[]])[0],
                (found["distances"] or [[]])[0],
                strict=True,
            )
        ]

    # -- writing -------------------------------------------------------------------------

    def full_disk(self, margin: int = 1 << 20) -> Path | None:
        """The local index's folder when its disk has less than `margin` bytes left, else None. Chroma reports
        a full disk as an internal error ("Failed to apply logs to the metadata segment"): ask the disk."""
        chroma = self._client.get_settings()
        if not chroma.is_persistent or not chroma.persist_directory:
            return None
        folder = Path(chroma.persist_directory)
        return folder if shutil.disk_usage(folder).free < margin else None

    def build(self, embedder: str, fingerprint: str) -> Generation:
        """A new, empty generation (not visible to readers until `publish`)."""
        numbers = [
            int(m.group(1))
            for c in self._generation_names()
            if (m := re.fullmatch(rf"{re.escape(self.name)}-g(\d+)", c))
        ]
        name = f"{self.name}-g{max(numbers, default=0) + 1:06d}"
        sentences = name + _SENTENCES_SUFFIX
        metadata = {"embedder": embedder, "fingerprint": fingerprint, "created": _now(), "sentences": sentences}
        return Generation(self._new_collection(name, metadata), self._new_collection(sentences, {}))

    def _new_collection(self, name: str, metadata: dict[str, Any]) -> Collection:
        return self._client.create_collection(
            name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata=metadata or None,
            embedding_function=self._no_ef,
        )

    def add(self, generation: Generation, entries: Sequence[Chunk | Sentence], vectors: Vectors) -> None:
        """Chunks and sentences with their vectors, each kind into its collection."""
        assert generation._sentences is not None, "only a generation being built is written to"
        array = np.asarray(vectors, dtype=np.float32).reshape(len(entries), -1)
        for kind, collection in ((Chunk, generation._collection), (Sentence, generation._sentences)):
            rows = [n for n, entry in enumerate(entries) if isinstance(entry, kind)]
            for batch in _batches(rows, self._client.get_max_batch_size()):
                collection.add(
                    ids=[entries[n].id for n in batch],
                    documents=[entries[n].indexed_text for n in batch],
                    metadatas=[entries[n].metadata() for n in batch],  # type: ignore[misc]
                    embeddings=array[batch],
                )

    def copy(self, source: Generation, target: Generation, ids: Sequence[str]) -> None:
        """Copy chunks as they are (text, metadata, vector), and their sentence entries, from one generation to
        another."""
        assert target._sentences is not None, "only a generation being built is written to"
        size = self._client.get_max_batch_size()
        include: Any = ["documents", "metadatas", "embeddings"]
        for batch in _batches(list(ids), size):
            chunks: Any = source._collection.get(ids=batch, include=include)
            if source._sentences is not None:
                stored = [
                    StoredChunk(i, dict(m or {})) for i, m in zip(chunks["ids"], chunks["metadatas"], strict=True)
                ]
                sentences: Any = source._sentences.get(ids=_sentence_ids(stored), include=include)
            else:  # built before sentences had a collection of their own: counted here, once
                sentences = self._read_all(source._collection, include, {"chunk": {"$in": batch}})
                counts = Counter(str(m["chunk"]) for m in sentences["metadatas"])
                chunks["metadatas"] = [
                    {**{k: v for k, v in m.items() if k != "kind"}, "sentences": counts[i]}
                    for i, m in zip(chunks["ids"], chunks["metadatas"], strict=True)
                ]
                sentences["metadatas"] = [{"chunk": m["chunk"]} for m in sentences["metadatas"]]
            for found, collection in ((chunks, target._collection), (sentences, target._sentences)):
                for start in range(0, len(found["ids"]), size):
                    collection.add(
                        ids=found["ids"][start : start + size],
                        documents=found["documents"][start : start + size],
                        metadatas=found["metadatas"][start : start + size],
                        embeddings=found["embeddings"][start : start + size],
                    )

    def publish(self, generation: Generation) -> None:
        """Make `generation` the active one; keep the previous one for running readers."""
        pointer = self._pointer()
        previous = (pointer.metadata or {}).get("active", "")
        pointer.modify(metadata={"active": generation.name, "previous": previous, "updated": _now()})
        # A generation's sentences go with it (and those of a generation whose chunks a crash already deleted).
        for name in self._collection_names():
            owner = re.fullmatch(rf"({re.escape(self.name)}-g\d+)(?:{_SENTENCES_SUFFIX})?", name)
            if owner and owner.group(1) not in (generation.name, previous):
                self._client.delete_collection(name)

    def _collection_names(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]

    def _generation_names(self) -> list[str]:
        return sorted(n for n in self._collection_names() if re.fullmatch(rf"{re.escape(self.name)}-g\d+", n))

    def _generations(self) -> Iterator[Generation]:
        for name in reversed(self._generation_names()):
            yield self._generation(name)


def _batches(items: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _sentence_ids(chunks: Sequence[Hit | StoredChunk]) -> list[str]:
    return [f"{chunk.id}#{n}" for chunk in chunks for n in range(int(chunk.metadata.get("sentences", 0)))]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
