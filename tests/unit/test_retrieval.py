"""Hybrid retrieval: the dense ranking by whole chunks and by their sentences; the language quota, room for
the other language among the passages returned."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.retrieval.hybrid import HybridRetriever, with_other_language
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.helpers import FakeEmbedder

COORDINATOR = "Who coordinates the InterAging programme?"

LANGUAGES = {"fr1": "fr", "fr2": "fr", "fr3": "fr", "fr4": "fr", "en1": "en", "en2": "en"}


def test_the_best_other_language_passage_replaces_the_last_same_language_one() -> None:
    ranked = ["fr1", "fr2", "fr3", "en1", "fr4", "en2"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=3, minimum=1) == ["fr1", "fr2", "en1"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=4, minimum=2) == ["fr1", "fr2", "en1", "en2"]


def test_the_quota_never_takes_more_than_half_of_the_places() -> None:
    ranked = ["fr1", "fr2", "fr3", "en1", "fr4", "en2"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=3, minimum=2) == ["fr1", "fr2", "en1"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=2, minimum=2) == ["fr1", "en1"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=1, minimum=2) == ["fr1"]


def test_nothing_changes_when_the_other_language_is_already_in() -> None:
    ranked = ["en1", "fr1", "fr2", "fr3"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=3, minimum=1) == ["en1", "fr1", "fr2"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=3, minimum=0) == ["en1", "fr1", "fr2"]


def test_a_one_language_corpus_keeps_its_ranking() -> None:
    ranked = ["fr1", "fr2", "fr3", "fr4"]
    assert with_other_language(ranked, LANGUAGES, "fr", k=3, minimum=1) == ["fr1", "fr2", "fr3"]
    assert with_other_language(ranked[:2], LANGUAGES, "fr", k=3, minimum=1) == ["fr1", "fr2"]


def test_english_questions_get_french_passages_too() -> None:
    ranked = ["en1", "en2", "fr1"]
    assert with_other_language(ranked, LANGUAGES, "en", k=2, minimum=1) == ["en1", "fr1"]


def test_a_chunk_whose_one_sentence_answers_ranks_first_though_its_whole_text_is_farther(
    tmp_path: Path, settings: Settings
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "gilson.md").write_text(
        "# Ageing\n\nLaboratories in many countries study how cells age. The network funds fellowships for young "
        "researchers abroad. Eric Gilson coordinates the InterAging programme. Partners meet every year in Nice "
        "to share their results and their methods.\n",
        encoding="utf-8",
    )
    (corpus / "networks.md").write_text(
        "# Networks\n\nWho funds the programme? The InterAging network is one of several. Its partners share "
        "coordinates.\n",
        encoding="utf-8",
    )
    settings.retrieval.keyword_weight = 0.0  # the dense ranking alone
    embedder = FakeEmbedder()
    retriever = HybridRetriever.from_settings(settings, embedder)
    ingest([corpus], settings, embedder, retriever.store)
    vector = embedder.embed_query(COORDINATOR)
    [closer, farther] = retriever.store.search(vector, 2)
    assert "Who funds" in closer.document and "Eric Gilson" in farther.document
    [best] = retriever.retrieve(COORDINATOR, "en", k=1)
    assert "Eric Gilson" in best.text
    assert best.similarity == pytest.approx(1 - farther.distance, abs=1e-5)  # the guard still reads the whole text


def test_a_passage_holding_part_of_a_split_list_comes_with_the_lists_other_parts(
    tmp_path: Path, settings: Settings
) -> None:
    """ "In which countries are the Joint Labs?" needs every item, though the closest part holds only some."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    items = "\n".join(f"- Joint Lab {n} works with a university in country {n}." for n in range(30))
    (corpus / "labs.md").write_text(
        f"# Joint Labs\n\nThe Joint Labs are:\n\n{items}\n\n# Funding\n\nEach grant lasts five years.\n",
        encoding="utf-8",
    )
    settings.ingest.chunking.target_tokens, settings.ingest.chunking.max_tokens = 60, 100
    retriever = HybridRetriever.from_settings(settings, FakeEmbedder())
    ingest([corpus], settings, retriever.embedder, retriever.store)
    passages = retriever.retrieve("Which Joint Lab works with country 7?", "en", k=1)
    assert len(passages) > 2, "the list is cut in several parts"
    listed = [line for p in passages for line in p.text.splitlines() if line.startswith("- ")]
    assert len(listed) == 30  # every item once, from every part
    assert passages[0].text.count("country 7.") == 1, "the closest part comes first"
    assert [p.text for p in retriever.retrieve("How long does a grant last?", "en", k=1)] == [
        "Each grant lasts five years."
    ]
