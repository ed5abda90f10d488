"""Chunks: sizes, lists with their lead-in, ids, metadata and offsets, on both shipped texts."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from assistant.schema import Chunk, Source, chunk_id
from assistant.settings import ChunkingSettings
from ingest.chunk import Chunker
from ingest.clean import split_lines
from ingest.outline import outline
from ingest.pipeline import prepare
from tests.helpers import CORPUS, count_words, make_settings


@pytest.fixture(scope="module")
def chunks() -> list[Chunk]:
    settings = make_settings(data_dir=Path("unused"))
    return prepare([CORPUS], settings, count_words).chunks


def by_source(chunks: list[Chunk], source_id: str) -> list[Chunk]:
    return [c for c in chunks if c.source.id == source_id]


def test_each_text_gives_chunks_within_the_size_bounds(chunks: list[Chunk]) -> None:
    fr = by_source(chunks, "inserm-international-fr")
    en = by_source(chunks, "inserm-international-policy-en")
    assert 10 <= len(fr) <= 16 and 5 <= len(en) <= 9
    assert all(count_words(c.text) <= ChunkingSettings().max_tokens for c in chunks)
    # Only a section's natural end makes a chunk much smaller than the target.
    assert sum(count_words(c.text) for c in chunks) / len(chunks) > 100


def test_chrome_never_reaches_a_chunk(chunks: list[Chunk]) -> None:
    text = "\n".join(c.text + c.original for c in chunks)
    for chrome in ("proposés par défaut", "taille des textes", "Top of page", "View Edit"):
        assert chrome not in text


def test_the_answer_to_horizon_europe_is_in_the_brussels_chunk(chunks: list[Chunk]) -> None:
    chunk = next(c for c in chunks if "en coordonne 97" in c.text)
    assert chunk.section[-1] == "Bruxelles"
    assert chunk.source.language == "fr"


def test_a_list_stays_with_the_sentence_that_introduces_it(chunks: list[Chunk]) -> None:
    brussels = next(c for c in chunks if "promouvoir la visibilité" in c.text)
    assert "assure les missions suivantes, en lien étroit avec la cellule Europe du siège :" in brussels.text
    joint_labs = next(c for c in chunks if "U1111" in c.text)
    assert joint_labs.text.startswith("Les Joints Labs au 15.10.2025\n• Centre international")
    assert "Technische Universität Wien" in joint_labs.text


def test_metadata_and_offsets_point_into_the_original_text(chunks: list[Chunk]) -> None:
    for chunk in chunks:
        original = Path(chunk.source.path).read_text(encoding="utf-8")
        assert chunk.original == original[chunk.start : chunk.end]
        meta = chunk.metadata()
        assert meta["source_id"] == chunk.source.id and str(meta["url"]).startswith("http")
        assert meta["language"] in ("fr", "en") and meta["title"]
    positions = [c.position for c in by_source(chunks, "inserm-international-fr")]
    assert positions == list(range(len(positions)))


def test_indexed_text_is_normalised_and_citations_keep_the_original(chunks: list[Chunk]) -> None:
    joint = next(c for c in chunks if "20.000" in c.text)
    assert "20.000 €" in joint.text and "\u00a0" not in joint.text
    assert "20.000\u00a0€" in joint.original
    assert joint.indexed_text.startswith("Des partenariats nombreux et diversifiés › Les laboratoires")


def test_ids_are_deterministic_and_follow_content(chunks: list[Chunk]) -> None:
    assert len({c.id for c in chunks}) == len(chunks)
    first = chunks[0]
    assert first.id == chunk_id(first.source.id, first.text)
    assert chunk_id("a", "same text") != chunk_id("b", "same text")
    assert chunk_id("a", "same text") != chunk_id("a", "same text!")


SOURCE = Source("doc", "Doc", "https://example.org", "en", "2025", "/tmp/doc.txt")


def chunk_text(text: str, settings: ChunkingSettings) -> list[Chunk]:
    blocks = outline(split_lines(text), "Doc", marked_headings=True)
    return Chunker(settings, count_words).chunk(SOURCE, text, blocks)


def test_a_long_list_is_split_between_items_and_each_part_repeats_its_lead() -> None:
    items = "\n".join(f"- Partner number {n} is a university in city {n}." for n in range(40))
    text = f"# Partners\n\nThe partners of the network are:\n\n{items}\n"
    chunks = chunk_text(text, ChunkingSettings(target_tokens=60, max_tokens=80, overlap_tokens=10))
    assert len(chunks) > 3
    assert all(c.text.startswith("The partners of the network are:\n- Partner number") for c in chunks)
    assert all(count_words(c.text) <= 80 for c in chunks)
    listed = [line for c in chunks for line in c.text.splitlines()[1:]]
    assert len(listed) == 40  # every item once


def test_a_long_paragraph_is_split_between_sentences_with_a_small_overlap() -> None:
    sentences = [f"Sentence {n} says something about topic {n}." for n in range(30)]
    text = "# Topic\n\n" + " ".join(sentences) + "\n"
    chunks = chunk_text(text, ChunkingSettings(target_tokens=40, max_tokens=60, overlap_tokens=15))
    assert len(chunks) > 3
    for before, after in pairwise(chunks):
        assert after.text.startswith(before.text.split(". ")[-1].strip())  # last sentence repeated
    assert all(c.section == ("Topic",) for c in chunks)


def test_chunks_never_cross_a_section() -> None:
    text = "# A\n\nShort text of A.\n\n# B\n\nShort text of B.\n"
    chunks = chunk_text(text, ChunkingSettings())
    assert [(c.section, c.text) for c in chunks] == [(("A",), "Short text of A."), (("B",), "Short text of B.")]
