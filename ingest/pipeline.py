"""Corpus folders → the published index, incrementally and atomically.

`prepare` turns files into chunks (no store, no embedding). `ingest` compares them with the
active generation: when nothing changed it writes nothing; otherwise it builds a new
generation, reusing every vector already computed for the same chunk or sentence by the same
model, and publishes it in one atomic step (see `assistant.retrieval.store`).

Each generation records a fingerprint of the run that made it (documents, settings, model):
a run with the same fingerprint has nothing to do and stops before chunking, which spares
loading the tokenizer.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from assistant.errors import ConfigurationError, DiskFullError
from assistant.models.locks import file_lock
from assistant.retrieval.embedding import SentenceEmbedder
from assistant.retrieval.store import ChunkStore, Generation, StoredChunk
from assistant.schema import Chunk, Sentence
from assistant.settings import Settings
from assistant.translations import FILE_NAME as TRANSLATIONS
from assistant.translations import TranslationMemory, Translator, translate_chunks
from assistant.translations import shipped as shipped_memories
from ingest.chunk import Chunker, TokenCounter
from ingest.clean import Cleaner
from ingest.load import Document, Skipped, find_files, load_documents
from ingest.outline import outline

Progress = Callable[[int, int], None]
# Bump when cleaning, chunking, the translations kept or what is stored of a chunk change what a file gives:
# unchanged files are re-chunked.
PIPELINE_VERSION = 5


@dataclass
class Prepared:
    chunks: list[Chunk]
    skipped: list[Skipped]
    duplicate_chunks: int = 0


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    chunks_per_source: dict[str, int] = field(default_factory=dict)
    chunks: int = 0  # in the published index
    embedded: int = 0
    reused: int = 0
    sentences_embedded: int = 0
    sentences_reused: int = 0
    duplicate_chunks: int = 0
    seconds: float = 0.0

    @property
    def usable(self) -> bool:
        return bool(self.chunks_per_source)


def prepare(paths: Sequence[Path], settings: Settings, count_tokens: TokenCounter) -> Prepared:
    return split(*load(paths, settings), settings, count_tokens)


def load(paths: Sequence[Path], settings: Settings) -> tuple[list[Document], list[Skipped]]:
    """The readable documents under `paths`, each content once, and the files skipped."""
    files, skipped = find_files(paths)
    documents: list[Document] = []
    seen_content: dict[str, Path] = {}
    seen_ids: set[str] = set()
    loaded = list(load_documents(files, settings.ingest.max_file_mb * 2**20))
    skipped += [item for item in loaded if isinstance(item, Skipped)]
    # Of two files with the same content, the one the manifest describes is kept.
    readable = sorted((d for d in loaded if isinstance(d, Document)), key=lambda d: not d.in_manifest)
    for item in readable:
        if item.sha256 in seen_content:
            skipped.append(Skipped(Path(item.source.path), f"same content as {seen_content[item.sha256]}"))
        else:
            seen_content[item.sha256] = Path(item.source.path)
            documents.append(_unique_id(item, seen_ids))
    return documents, skipped


def split(
    documents: list[Document], skipped: list[Skipped], settings: Settings, count_tokens: TokenCounter
) -> Prepared:
    """Clean, outline and chunk the documents; identical passages are kept once."""
    cleaner = Cleaner(settings.ingest.cleaning, [d.text for d in documents])
    chunker = Chunker(settings.ingest.chunking, count_tokens)
    prepared = Prepared([], skipped)
    seen_chunks: set[str] = set()
    for document in documents:
        blocks = outline(cleaner.clean(document.text), document.source.title, document.marked_headings)
        chunks = chunker.chunk(document.source, document.text, blocks)
        if not chunks:
            skipped.append(Skipped(Path(document.source.path), "no content left after cleaning"))
            continue
        for chunk in chunks:
            # Identical passages (a template paragraph, a copied section) are stored once.
            if chunk.text in seen_chunks:
                prepared.duplicate_chunks += 1
            else:
                seen_chunks.add(chunk.text)
                prepared.chunks.append(chunk)
    return prepared


def _unique_id(document: Document, seen: set[str]) -> Document:
    source = document.source
    if source.id in seen:
        suffix = hashlib.sha256(source.path.encode()).hexdigest()[:6]
        source = replace(source, id=f"{source.id}-{suffix}")
        document = replace(document, source=source)
    seen.add(source.id)
    return document


def ingest(
    paths: Sequence[Path],
    settings: Settings,
    embedder: SentenceEmbedder,
    store: ChunkStore,
    progress: Progress | None = None,
    translator: Translator | None = None,
) -> IngestReport:
    """`translator` translates the sentences the translation memory lacks (none: they stay untranslated)."""
    started = time.perf_counter()
    with _exclusive(settings):
        documents, skipped = load(paths, settings)
        shipped = shipped_memories(paths)
        translated_by = translator.name if translator else ""
        fingerprint = run_fingerprint(documents, settings, embedder.identity, translated_by, shipped)
        active = store.active()
        if documents and active is not None and active.metadata.get("fingerprint") == fingerprint:
            report = _unchanged(documents, skipped, store)
        else:
            prepared = split(documents, skipped, settings, embedder.count_tokens)
            memory = TranslationMemory(settings.data_dir / TRANSLATIONS, shipped)
            prepared.chunks = translate_chunks(prepared.chunks, memory, translator)
            try:
                report = _sync(prepared, [p.resolve() for p in paths], embedder, store, active, progress, fingerprint)
            except Exception as error:
                full = store.full_disk()
                if full is None:
                    raise
                raise DiskFullError(
                    f"No space left on the disk of the index folder {full} ({shutil.disk_usage(full).free // 1024} KB "
                    "free). Free some space there, or set ASSISTANT_STORE__PATH to a folder on a larger disk, then "
                    "run the ingest again. The previous index is unchanged and still answers."
                ) from error
    report.seconds = time.perf_counter() - started
    return report


def run_fingerprint(
    documents: list[Document], settings: Settings, embedder: str, translator: str = "", memories: Sequence[Path] = ()
) -> str:
    """What decides a run's chunks and vectors (cleaning looks across all of its documents), and the shipped
    translation memories (`memories`), whose corrections change the chunks' translations."""
    described = {
        "pipeline": PIPELINE_VERSION,
        "embedder": embedder,
        "translator": translator,
        "memories": sorted(hashlib.sha256(m.read_bytes()).hexdigest() for m in memories if m.is_file()),
        "ingest": settings.ingest.model_dump(mode="json", exclude={"corpus_dirs"}),
        "documents": sorted([d.sha256, *asdict(d.source).values()] for d in documents),
    }
    return hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()


def _unchanged(documents: list[Document], skipped: list[Skipped], store: ChunkStore) -> IngestReport:
    report = IngestReport(skipped=skipped, unchanged=sorted(d.source.path for d in documents))
    collection = store.require_active()
    ids = {d.source.id for d in documents}
    for record in store.stored_chunks(collection):
        source_id = str(record.metadata.get("source_id"))
        if source_id in ids:
            report.chunks_per_source[source_id] = report.chunks_per_source.get(source_id, 0) + 1
    report.chunks = collection.count()
    return report


def _sync(
    prepared: Prepared,
    roots: list[Path],
    embedder: SentenceEmbedder,
    store: ChunkStore,
    active: Generation | None,
    progress: Progress | None,
    fingerprint: str,
) -> IngestReport:
    report = IngestReport(skipped=prepared.skipped, duplicate_chunks=prepared.duplicate_chunks)
    new_by_path: dict[str, set[str]] = defaultdict(set)
    for chunk in prepared.chunks:
        new_by_path[chunk.source.path].add(_fingerprint(chunk.id, chunk.metadata()))
        report.chunks_per_source[chunk.source.id] = report.chunks_per_source.get(chunk.source.id, 0) + 1

    if not prepared.chunks:
        # Nothing usable (a wrong folder, only bad files): leave the index as it is.
        report.chunks = active.count() if active is not None else 0
        return report
    stored = store.stored_chunks(active) if active is not None else []
    old_by_path: dict[str, set[str]] = defaultdict(set)
    for record in stored:
        old_by_path[str(record.metadata.get("path", ""))].add(_fingerprint(record.id, record.metadata))

    skipped_paths = {str(s.path.resolve()) for s in prepared.skipped}
    # Sources outside this run's folders, and files that were indexed but are now unreadable,
    # keep their chunks: ingesting one folder never deletes another's, and a bad file loses nothing.
    carried = [r for r in stored if _carried(r, new_by_path, roots, skipped_paths)]
    for path in sorted(new_by_path):
        if path not in old_by_path:
            report.added.append(path)
        elif new_by_path[path] == old_by_path[path]:
            report.unchanged.append(path)
        else:
            report.updated.append(path)
    carried_paths = {str(r.metadata.get("path", "")) for r in carried}
    report.removed = sorted(set(old_by_path) - set(new_by_path) - carried_paths)
    report.chunks = len(prepared.chunks) + len(carried)

    same_model = active is not None and active.metadata.get("embedder") == embedder.identity
    if same_model and not (report.added or report.updated or report.removed):
        return report  # nothing changed: write nothing

    build = store.build(embedder.identity, fingerprint)
    if carried and active is not None:
        store.copy(active, build, [r.id for r in carried])
    entries: list[Chunk | Sentence] = [*prepared.chunks, *(s for c in prepared.chunks for s in c.sentences())]
    fresh: list[Chunk | Sentence] = []
    for _, page in _batches(entries, store.page_size):
        # A page at a time: a large index's cached vectors, held all at once, take gigabytes.
        cached = store.cached_vectors([e.id for e in page], embedder.identity)
        known = [e for e in page if e.id in cached]
        if known:
            store.add(build, known, np.stack([cached[e.id] for e in known]))
        fresh += [e for e in page if e.id not in cached]
        chunks = sum(isinstance(e, Chunk) for e in known)
        report.reused += chunks
        report.sentences_reused += len(known) - chunks
    report.embedded = sum(isinstance(e, Chunk) for e in fresh)
    report.sentences_embedded = len(fresh) - report.embedded
    for done, batch in _batches(fresh, 32):
        # Written batch by batch: a run killed here leaves these vectors for the next one.
        store.add(build, batch, embedder.embed_documents([e.indexed_text for e in batch]))
        if progress:
            progress(done, len(fresh))
    store.publish(build)
    return report


def _carried(record: StoredChunk, new_by_path: dict[str, set[str]], roots: list[Path], skipped_paths: set[str]) -> bool:
    path = str(record.metadata.get("path", ""))
    if path in new_by_path:
        return False
    return path in skipped_paths or not any(Path(path).is_relative_to(root) for root in roots)


def _fingerprint(chunk_id: str, metadata: Mapping[str, object]) -> str:
    return chunk_id + json.dumps(metadata, sort_keys=True, ensure_ascii=False)


def _batches(entries: list[Chunk | Sentence], size: int) -> Iterator[tuple[int, list[Chunk | Sentence]]]:
    for start in range(0, len(entries), size):
        batch = entries[start : start + size]
        yield start + len(batch), batch


@contextmanager
def _exclusive(settings: Settings) -> Iterator[None]:
    """One ingest at a time on a local index (a server deployment runs ingest from one place)."""
    if settings.store.host:
        yield
        return
    with file_lock(settings.index_path / ".ingest.lock", wait=False) as acquired:
        if not acquired:
            raise ConfigurationError(f"Another ingest is running on {settings.index_path}: wait for it to finish.")
        yield
