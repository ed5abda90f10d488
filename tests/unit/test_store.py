"""Reading whole generations of the index, and its chunks apart from their sentences, against a real Chroma in
a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.store import ChunkStore, Generation
from assistant.schema import innermost_heading
from assistant.settings import Settings
from assistant.text import passage_units
from ingest.pipeline import IngestReport, ingest
from tests.helpers import FakeEmbedder


def test_a_generation_is_read_whole_page_by_page(corpus_copy: Path, settings: Settings) -> None:
    ingest([corpus_copy], settings, FakeEmbedder(), ChunkStore.open(settings, "inserm"))
    whole, paged = ChunkStore.open(settings, "inserm", page_size=1000), ChunkStore.open(settings, "inserm", page_size=4)
    collection = whole.require_active()
    assert 4 < collection.count() < 1000 and collection.count() % 4
    assert paged.stored_chunks(collection) == whole.stored_chunks(collection)
    assert paged.documents(collection) == whole.documents(collection)


@pytest.fixture
def ingested(corpus_copy: Path, settings: Settings) -> tuple[ChunkStore, IngestReport, Generation]:
    store = ChunkStore.open(settings)
    report = ingest([corpus_copy], settings, FakeEmbedder(), store)
    return store, report, store.require_active()


def test_each_chunk_is_stored_with_its_sentences_which_readers_of_chunks_never_see(
    ingested: tuple[ChunkStore, IngestReport, Generation],
) -> None:
    store, report, collection = ingested
    ids, _, metadatas = store.documents(collection)
    assert len(ids) == collection.count() == len(store.stored_chunks(collection)) == report.chunks
    assert sum(store.status().chunks_per_source.values()) == report.chunks
    sentences = store.sentences(collection, store.stored_chunks(collection))
    assert len(sentences) == report.sentences_embedded > report.chunks
    for chunk_id, metadata in zip(ids, metadatas, strict=True):
        # One entry per quotable unit, read under its heading as the extractive responder reads it.
        topic = innermost_heading(str(metadata["section"]))
        units = passage_units(str(metadata["original"]))
        read = sorted(s.document for s in sentences if s.metadata["chunk"] == chunk_id)
        assert read == sorted(f"{topic}: {unit}" if topic else unit for unit in units)
    vector = FakeEmbedder().embed_query("Combien de projets Horizon Europe l'Inserm coordonne-t-il ?")
    assert {hit.id for hit in store.search(vector, 1000, collection)} == set(ids)
    assert {chunk.id for chunk in store.neighbours(ids[:1], 3)} <= set(ids)
    assert {hit.metadata["chunk"] for hit in store.search(vector, 5, collection, sentences=True)} <= set(ids)


def test_sentence_search_finds_sentences_only_and_chunk_search_chunks_only(
    ingested: tuple[ChunkStore, IngestReport, Generation],
) -> None:
    store, report, collection = ingested
    vector = FakeEmbedder().embed_query("Eric Gilson coordonne InterAging")
    sentences = store.search(vector, 10_000, collection, sentences=True)
    chunks = store.search(vector, 10_000, collection)
    assert len(sentences) == report.sentences_embedded and len(chunks) == report.chunks
    assert all(hit.id.startswith(f"{hit.metadata['chunk']}#") for hit in sentences)
    assert {hit.id for hit in chunks} == set(store.documents(collection)[0])
    assert not any("#" in hit.id for hit in chunks)
