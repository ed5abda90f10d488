"""Reading whole generations of the index, against a real Chroma in a temporary folder."""

from __future__ import annotations

from pathlib import Path

from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.helpers import FakeEmbedder


def test_a_generation_is_read_whole_page_by_page(corpus_copy: Path, settings: Settings) -> None:
    ingest([corpus_copy], settings, FakeEmbedder(), ChunkStore.open(settings, "inserm"))
    whole, paged = ChunkStore.open(settings, "inserm", page_size=1000), ChunkStore.open(settings, "inserm", page_size=4)
    collection = whole.require_active()
    assert 4 < collection.count() < 1000 and collection.count() % 4
    assert paged.stored_chunks(collection) == whole.stored_chunks(collection)
    assert paged.documents(collection) == whole.documents(collection)
