"""An index larger than one Chroma read, against a real Chroma in a temporary folder (tens of seconds)."""

from __future__ import annotations

import pytest

from assistant.retrieval.store import ChunkStore
from assistant.schema import Chunk, Source
from assistant.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_an_index_larger_than_sqlites_variable_limit_is_read(settings: Settings) -> None:
    """A local Chroma fails to `get` more than 32,766 records at once ("too many SQL variables")."""
    store = ChunkStore.open(settings, "large")
    source = Source("big", "Big", "https://example.org", "en", "2025", "/big.txt")
    chunks = [Chunk(source, (), i, 0, 1, f"passage {i}", f"passage {i}") for i in range(33_000)]
    collection = store.build("fake", "fingerprint")
    store.add(collection, chunks, [[1.0, i % 7] for i in range(len(chunks))])
    ids, texts, _ = store.documents(collection)
    assert len(set(ids)) == len(chunks) and sorted(texts) == sorted(c.indexed_text for c in chunks)
    assert len(store.stored_chunks(collection)) == len(chunks)
