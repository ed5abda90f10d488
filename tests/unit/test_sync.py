"""Incremental, idempotent, atomic ingest, against a real Chroma in a temporary folder.

The embedder is a deterministic fake (it counts what it embeds); the model is covered by the
integration tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, cast

import pytest

from assistant.retrieval.store import ChunkStore, Generation
from assistant.schema import Chunk, Sentence
from assistant.settings import Settings
from ingest import pipeline
from ingest.pipeline import IngestReport, ingest
from tests.helpers import FakeEmbedder


@pytest.fixture
def store(settings: Settings) -> ChunkStore:
    return ChunkStore.open(settings)


def run(paths: list[Path], settings: Settings, store: ChunkStore, embedder: FakeEmbedder | None = None) -> IngestReport:
    return ingest(paths, settings, embedder or FakeEmbedder(), store)


def indexed_sources(store: ChunkStore) -> dict[str, int]:
    active = store.require_active()
    counts: dict[str, int] = {}
    for record in store.stored_chunks(active):
        counts[record.metadata["source_id"]] = counts.get(record.metadata["source_id"], 0) + 1
    return counts


def test_first_ingest_adds_every_file(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    embedder = FakeEmbedder()
    report = run([corpus_copy], settings, store, embedder)
    assert len(report.added) == 2 and not report.skipped
    assert report.embedded == report.chunks == store.require_active().count()
    assert len(embedder.embedded) == report.embedded + report.sentences_embedded and report.sentences_embedded
    assert all(text.startswith("passage: ") for text in embedder.embedded)
    assert set(indexed_sources(store)) == {"inserm-international-fr", "inserm-international-policy-en"}


def test_unchanged_files_embed_and_write_nothing(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    first = run([corpus_copy], settings, store)
    generation = store.require_active().name
    embedder = FakeEmbedder()
    report = run([corpus_copy], settings, store, embedder)
    assert len(report.unchanged) == 2 and not (report.added or report.updated or report.removed)
    assert embedder.embedded == []
    assert embedder.counted == 0  # not even chunked: the run's fingerprint matched
    assert store.require_active().name == generation  # no new generation written
    assert report.chunks_per_source == first.chunks_per_source and report.chunks == first.chunks


def test_new_chunking_settings_re_chunk_unchanged_files(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    first = run([corpus_copy], settings, store)
    settings.ingest.chunking.target_tokens, settings.ingest.chunking.max_tokens = 60, 90
    report = run([corpus_copy], settings, store)
    assert len(report.updated) == 2 and report.chunks > first.chunks


def _change_a_figure(corpus: Path) -> Path:
    """The English page with "nearly 100 countries" made "nearly 120 countries"; its path."""
    english = corpus / "inserm-international-policy-en.txt"
    english.write_text(
        english.read_text(encoding="utf-8").replace("nearly 100 countries", "nearly 120 countries"), encoding="utf-8"
    )
    return english


def test_a_changed_file_replaces_only_its_chunks(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    first = run([corpus_copy], settings, store)
    english = _change_a_figure(corpus_copy)
    embedder = FakeEmbedder()
    report = run([corpus_copy], settings, store, embedder)
    assert report.updated == [str(english.resolve())] and len(report.unchanged) == 1
    assert report.embedded == 1 and report.reused == first.chunks - 1
    documents = store.documents(store.require_active())[1]
    assert any("nearly 120 countries" in d for d in documents)
    assert not any("nearly 100 countries" in d for d in documents)


def test_a_new_generation_embeds_the_sentences_of_changed_chunks_only(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    first = run([corpus_copy], settings, store)
    _change_a_figure(corpus_copy)
    embedder = FakeEmbedder()
    report = run([corpus_copy], settings, store, embedder)
    active = store.require_active()
    [changed] = [i for i, d in zip(*store.documents(active)[:2], strict=True) if "nearly 120 countries" in d]
    [chunk] = [c for c in store.stored_chunks(active) if c.id == changed]
    resentenced = sorted(f"passage: {s.document}" for s in store.sentences(active, [chunk]))
    assert sorted(embedder.embedded[1:]) == resentenced and report.sentences_embedded == len(resentenced)
    assert report.sentences_reused == first.sentences_embedded - len(resentenced) > 0


def test_a_removed_file_loses_its_chunks(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    run([corpus_copy], settings, store)
    (corpus_copy / "inserm-international-policy-en.txt").unlink()
    report = run([corpus_copy], settings, store)
    assert len(report.removed) == 1 and report.embedded == 0
    assert set(indexed_sources(store)) == {"inserm-international-fr"}


def test_identical_content_is_stored_once(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    shutil.copy(corpus_copy / "inserm-international-fr.txt", corpus_copy / "copie.txt")
    report = run([corpus_copy], settings, store)
    [skipped] = report.skipped
    assert skipped.path.name == "copie.txt" and "same content as" in skipped.reason
    texts = store.documents(store.require_active())[1]
    assert len(texts) == len(set(texts))


def test_ingesting_another_folder_keeps_the_first(
    corpus_copy: Path, tmp_path: Path, settings: Settings, store: ChunkStore
) -> None:
    first = run([corpus_copy], settings, store)
    kept = store.stored_chunks(store.require_active())
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "note.md").write_text("# Note\n\nUne note interne sur les appels à projets.\n", encoding="utf-8")
    report = run([extra], settings, store)
    assert len(report.added) == 1 and not report.removed
    assert set(indexed_sources(store)) == {"inserm-international-fr", "inserm-international-policy-en", "note"}
    # The first folder's chunks are copied with their sentence entries, none embedded again.
    assert len(store.sentences(store.require_active(), kept)) == first.sentences_embedded
    assert report.sentences_embedded == 1 and report.sentences_reused == 0


def test_a_file_that_became_unreadable_keeps_its_previous_chunks(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    run([corpus_copy], settings, store)
    before = indexed_sources(store)
    (corpus_copy / "inserm-international-policy-en.txt").write_bytes(b"\x7fELF\x02\x01\x00\x00binary")
    report = run([corpus_copy], settings, store)
    assert [s.path.name for s in report.skipped] == ["inserm-international-policy-en.txt"]
    assert not report.removed and indexed_sources(store) == before


def test_nothing_usable_leaves_the_index_as_it_was(
    corpus_copy: Path, tmp_path: Path, settings: Settings, store: ChunkStore
) -> None:
    run([corpus_copy], settings, store)
    generation = store.require_active().name
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "scan.pdf").write_bytes(b"%PDF-1.4 broken")
    report = run([empty], settings, store)
    assert not report.usable and len(report.skipped) == 1
    assert store.require_active().name == generation


def publish_a_pipeline_4_generation(corpus: Path, settings: Settings, store: ChunkStore) -> tuple[list[str], int]:
    """A generation as ingest published it before sentences had a collection of their own: each sentence among
    the chunks, marked `kind: sentence` (chunks `kind: chunk`). Its chunk ids, and how many sentences it holds."""
    embedder = FakeEmbedder()
    chunks = pipeline.prepare([corpus], settings, embedder.count_tokens).chunks
    sentences = [sentence for chunk in chunks for sentence in chunk.sentences()]
    entries: list[Chunk | Sentence] = [*chunks, *sentences]
    legacy = store._client.create_collection(
        f"{store.name}-g000001",
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder.identity, "fingerprint": "pipeline 4", "created": "2026-12-01T00:00:00+00:00"},
        embedding_function=store._no_ef,
    )
    chunk_metadata = [{**{k: v for k, v in c.metadata().items() if k != "sentences"}, "kind": "chunk"} for c in chunks]
    legacy.add(
        ids=[e.id for e in entries],
        documents=[e.indexed_text for e in entries],
        metadatas=[*chunk_metadata, *({"kind": "sentence", "chunk": s.chunk_id} for s in sentences)],
        embeddings=cast(Any, embedder.embed_documents([e.indexed_text for e in entries])),
    )
    store.publish(Generation(legacy, None))
    return [c.id for c in chunks], len(sentences)


def test_a_generation_with_sentences_among_its_chunks_reads_its_chunks_only(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    chunk_ids, _ = publish_a_pipeline_4_generation(corpus_copy, settings, store)
    active = store.require_active()
    assert active.count() == len(chunk_ids) == len(store.stored_chunks(active))
    assert store.documents(active)[0] == chunk_ids
    vector = FakeEmbedder().embed_query("Combien de pays ?")
    assert {hit.id for hit in store.search(vector, 1000, active)} == set(chunk_ids)
    # Ranked by their whole text until the next ingest gives them their sentences.
    assert (
        store.search(vector, 10, active, sentences=True) == [] == store.sentences(active, store.stored_chunks(active))
    )


def test_the_next_ingest_moves_the_sentences_apart_reusing_every_vector(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    chunk_ids, sentences = publish_a_pipeline_4_generation(corpus_copy, settings, store)
    embedder = FakeEmbedder()
    report = run([corpus_copy], settings, store, embedder)
    assert embedder.embedded == [] and report.reused == len(chunk_ids) and report.sentences_reused == sentences
    active = store.require_active()
    assert active.count() == len(chunk_ids) and len(store.sentences(active, store.stored_chunks(active))) == sentences


def test_chunks_carried_from_a_generation_with_sentences_among_them_keep_their_sentences(
    corpus_copy: Path, tmp_path: Path, settings: Settings, store: ChunkStore
) -> None:
    chunk_ids, sentences = publish_a_pipeline_4_generation(corpus_copy, settings, store)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "note.md").write_text("# Note\n\nUne note interne sur les appels à projets.\n", encoding="utf-8")
    report = run([extra], settings, store)
    assert report.sentences_embedded == 1 and report.chunks == len(chunk_ids) + 1
    active = store.require_active()
    carried = [c for c in store.stored_chunks(active) if c.id in chunk_ids]
    assert len(carried) == len(chunk_ids) and not any("kind" in c.metadata for c in carried)
    assert len(store.sentences(active, carried)) == sentences


def test_another_embedding_model_re_embeds_everything(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    first = run([corpus_copy], settings, store)
    report = run([corpus_copy], settings, store, FakeEmbedder(identity="another-model"))
    assert report.embedded == first.chunks and report.reused == 0
    assert store.require_active().metadata["embedder"] == "another-model"


class CrashingEmbedder(FakeEmbedder):
    """Dies after a number of batches, as a killed process would."""

    def __init__(self, batches: int) -> None:
        super().__init__()
        self.batches = batches

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self.batches == 0:
            raise KeyboardInterrupt
        self.batches -= 1
        return super().embed_documents(texts)


def many_documents(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for n in range(count):
        paragraphs = "\n\n".join(f"Programme {n}-{p} links laboratory {p} with partner {n} abroad." for p in range(8))
        (folder / f"programme-{n}.md").write_text(
            f"# Programme {n}\n\n## Aims of {n}\n\n{paragraphs}\n\n"
            f"## Means of {n}\n\n{paragraphs.replace('links', 'joins')}\n",
            encoding="utf-8",
        )


def test_a_crash_mid_ingest_keeps_the_previous_index_and_the_next_run_finishes(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    first = run([corpus_copy], settings, store)
    generation = store.require_active().name
    many_documents(corpus_copy / "programmes", 20)
    with pytest.raises(KeyboardInterrupt):
        run([corpus_copy], settings, store, CrashingEmbedder(batches=1))
    # Readers still get the previous generation, whole.
    assert store.require_active().name == generation
    assert set(indexed_sources(store)) == {"inserm-international-fr", "inserm-international-policy-en"}
    report = run([corpus_copy], settings, store)
    new_chunks = report.chunks - first.chunks
    assert new_chunks > 32
    # The batch embedded before the crash is not embedded again.
    assert report.embedded == new_chunks - 32
    assert len(report.added) == 20 and store.require_active().count() == report.chunks


def generation_collections(store: ChunkStore) -> list[str]:
    return sorted(c.name for c in store._client.list_collections() if c.name.startswith(f"{store.name}-g"))


def test_a_crash_between_writing_chunks_and_their_sentences_keeps_the_previous_index_whole(
    corpus_copy: Path, settings: Settings, store: ChunkStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run([corpus_copy], settings, store)
    generation = store.require_active().name
    _change_a_figure(corpus_copy)

    def killed(self: Sentence) -> dict[str, str | int]:
        raise KeyboardInterrupt

    with monkeypatch.context() as crash:  # the new generation's chunks are written, then the process dies
        crash.setattr(Sentence, "metadata", killed)
        with pytest.raises(KeyboardInterrupt):
            run([corpus_copy], settings, store)
    active = store.require_active()
    assert active.name == generation and active.count() == first.chunks
    assert len(store.sentences(active, store.stored_chunks(active))) == first.sentences_embedded
    report = run([corpus_copy], settings, store)
    assert len(report.updated) == 1 and store.require_active().name != generation
    # The crashed generation goes, both its collections; the previous one stays for running readers.
    latest = store.require_active().name
    assert generation_collections(store) == sorted(
        [generation, f"{generation}__sentences", latest, f"{latest}__sentences"]
    )


def test_a_generation_deleted_takes_its_sentences_along(
    corpus_copy: Path, settings: Settings, store: ChunkStore
) -> None:
    run([corpus_copy], settings, store)
    oldest = store.require_active().name
    _change_a_figure(corpus_copy)
    run([corpus_copy], settings, store)
    previous = store.require_active().name
    (corpus_copy / "inserm-international-policy-en.txt").unlink()
    run([corpus_copy], settings, store)
    latest = store.require_active().name
    assert oldest not in (previous, latest)
    assert generation_collections(store) == sorted([previous, f"{previous}__sentences", latest, f"{latest}__sentences"])


def test_a_second_ingest_is_refused_while_one_runs(corpus_copy: Path, settings: Settings, store: ChunkStore) -> None:
    from assistant.errors import ConfigurationError
    from assistant.models.locks import file_lock

    with file_lock(settings.index_path / ".ingest.lock") as held:
        assert held
        with pytest.raises(ConfigurationError, match="Another ingest is running"):
            run([corpus_copy], settings, store)
    assert run([corpus_copy], settings, store).usable  # the lock is released with its holder
