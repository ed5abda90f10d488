"""The translation memory: sentences translated once at ingest, then searched, chosen and quoted from the index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answering.responders import ChatResponder, ExtractiveResponder, QuotingResponder
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.keyword import KeywordIndex
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings
from assistant.translations import FILE_NAME, TranslationMemory, Translator, translate_chunks
from ingest.pipeline import ingest
from tests.helpers import FakeEmbedder, ScriptedChatModel

FRENCH = (
    "# Bureau de Bruxelles\n\nLe bureau de Bruxelles suit les programmes européens. "
    "Il a accompagné 40 équipes en 2024.\n"
)
ACCOMPANIED = "Il a accompagné 40 équipes en 2024."


class Dictionary:
    """Translates by a fixed table, counting its calls; None (unreachable) for any other sentence."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self.calls: list[tuple[str, str]] = []

    def __call__(self, sentence: str, language: str) -> str | None:
        self.calls.append((sentence, language))
        return self.table.get(sentence)


TABLE = {
    "Le bureau de Bruxelles suit les programmes européens.": "The Brussels office follows European programmes.",
    ACCOMPANIED: "It supported 40 teams in 2024.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bruxelles.md").write_text(FRENCH, encoding="utf-8")
    return folder


def indexed(settings: Settings, corpus: Path, translate: Dictionary | None) -> ChunkStore:
    store = ChunkStore.open(settings)
    translator = Translator("dictionary", translate) if translate else None
    ingest([corpus], settings, FakeEmbedder(), store, translator=translator)
    return store


def test_ingest_translates_each_sentence_once_and_stores_it_with_its_chunk(settings: Settings, corpus: Path) -> None:
    translate = Dictionary(TABLE)
    store = indexed(settings, corpus, translate)
    assert sorted(translate.calls) == sorted((s, "en") for s in TABLE)
    _, _, metadatas = store.documents(store.require_active())
    assert json.loads(str(metadatas[0]["translations"])) == TABLE
    # The memory is kept in the data folder: a second index of the same corpus asks the model nothing.
    again = Dictionary(TABLE)
    settings.store.path = settings.data_dir / "second-index"
    indexed(settings, corpus, again)
    assert again.calls == []


def test_a_memory_shipped_with_the_corpus_spares_the_model_and_the_data_folder_one_wins(
    settings: Settings, corpus: Path
) -> None:
    (corpus / FILE_NAME).write_text(json.dumps({"en": {ACCOMPANIED: "Shipped."}}), encoding="utf-8")
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / FILE_NAME).write_text(json.dumps({"en": {ACCOMPANIED: "Made here."}}), encoding="utf-8")
    memory = TranslationMemory(settings.data_dir / FILE_NAME, [corpus / FILE_NAME])
    assert memory.get(ACCOMPANIED, "en") == "Made here." and memory.get(ACCOMPANIED, "fr") is None


def test_a_correction_of_the_shipped_memory_reaches_the_index_at_the_next_ingest(
    settings: Settings, corpus: Path
) -> None:
    shipped = corpus / FILE_NAME
    shipped.write_text(json.dumps({"en": {ACCOMPANIED: "It supported a dozen teams in 2024."}}), encoding="utf-8")
    translate = Dictionary(TABLE)  # translates the sentence the shipped memory lacks
    indexed(settings, corpus, translate)
    shipped.write_text(json.dumps({"en": {ACCOMPANIED: "It supported 40 teams in 2024."}}), encoding="utf-8")
    store = indexed(settings, corpus, translate)
    _, _, metadatas = store.documents(store.require_active())
    assert json.loads(str(metadatas[0]["translations"]))[ACCOMPANIED] == "It supported 40 teams in 2024."
    # The data folder keeps only what was translated here, not a copy of the shipped memory.
    own = json.loads((settings.data_dir / FILE_NAME).read_text(encoding="utf-8"))
    assert own == {"en": {s: t for s, t in TABLE.items() if s != ACCOMPANIED}}


def test_an_unreachable_model_leaves_the_rest_untranslated_and_a_damaged_memory_is_rebuilt(
    settings: Settings, corpus: Path
) -> None:
    settings.data_dir.mkdir(parents=True)
    (settings.data_dir / FILE_NAME).write_text("{not json", encoding="utf-8")
    translate = Dictionary({})  # answers None: unreachable
    store = indexed(settings, corpus, translate)
    assert len(translate.calls) == 1  # it stopped asking at the first failure
    _, _, metadatas = store.documents(store.require_active())
    assert "translations" not in metadatas[0]
    assert translate_chunks([], TranslationMemory(settings.data_dir / FILE_NAME), None) == []


def test_a_translation_stating_a_figure_its_sentence_lacks_is_not_kept_with_the_chunk(
    settings: Settings, corpus: Path
) -> None:
    wrong = {**TABLE, ACCOMPANIED: "It supported a dozen teams in 2024."}
    store = indexed(settings, corpus, Dictionary(wrong))
    _, _, metadatas = store.documents(store.require_active())
    kept = json.loads(str(metadatas[0]["translations"]))
    assert ACCOMPANIED not in kept and kept == {s: t for s, t in TABLE.items() if s != ACCOMPANIED}


def test_keyword_search_finds_a_passage_by_the_words_of_its_translation() -> None:
    index = KeywordIndex(
        ["fr", "other"],
        ["Il a accompagné 40 équipes.", "Les laboratoires associés."],
        ["fr", "fr"],
        ["It supported 40 teams.", ""],
    )
    assert [i for i, _ in index.search("Which teams were supported?", 2)] == ["fr"]
    assert KeywordIndex(["fr"], ["Il a accompagné 40 équipes."], ["fr"]).search("supported teams", 1) == []


def test_a_quote_in_the_other_language_comes_from_the_memory_without_a_model_call(
    settings: Settings, corpus: Path
) -> None:
    indexed(settings, corpus, Dictionary(TABLE))
    embedder = FakeEmbedder()
    passages = HybridRetriever(ChunkStore.open(settings), embedder, settings.retrieval).retrieve(
        "How many teams did the Brussels office support in 2024?", "en"
    )
    extractive = ExtractiveResponder(embedder)
    quoted = "".join(extractive.stream("How many teams did the Brussels office support in 2024?", passages, "en"))
    assert quoted.startswith("Here is what the sources say, translated where they are in French:")
    assert "It supported 40 teams in 2024. [1]" in quoted and ACCOMPANIED not in quoted
    model = ScriptedChatModel()
    quoting = QuotingResponder(extractive, ChatResponder(model, "scripted"))
    assert "".join(quoting.stream("How many teams did the Brussels office support in 2024?", passages, "en")) == quoted
    assert model.prompts == []


def test_without_a_translation_the_quote_stays_in_its_language_and_says_so(settings: Settings, corpus: Path) -> None:
    indexed(settings, corpus, None)
    embedder = FakeEmbedder()
    passages = HybridRetriever(ChunkStore.open(settings), embedder, settings.retrieval).retrieve(
        "How many teams in 2024?", "en"
    )
    quoted = "".join(ExtractiveResponder(embedder).stream("How many teams in 2024?", passages, "en"))
    assert quoted.startswith("Here is what the sources say (quoted in their original language):")
    assert ACCOMPANIED in quoted


def test_a_passage_is_as_close_to_a_question_as_its_translation_in_the_question_language(
    settings: Settings, corpus: Path, tmp_path: Path
) -> None:
    question = "Which European programmes does the Brussels office follow?"
    embedder = FakeEmbedder()
    untranslated = settings.model_copy(deep=True)
    untranslated.data_dir = tmp_path / "untranslated"
    untranslated.store.path = tmp_path / "untranslated-index"
    indexed(untranslated, corpus, None)
    indexed(settings, corpus, Dictionary(TABLE))
    [raw] = HybridRetriever(ChunkStore.open(untranslated), embedder, untranslated.retrieval).retrieve(question, "en")
    [read] = HybridRetriever(ChunkStore.open(settings), embedder, settings.retrieval).retrieve(question, "en")
    assert read.similarity > raw.similarity + 0.1  # the abstention guard reads it in English
    french = "Quels programmes le bureau de Bruxelles suit-il ?"
    [own] = HybridRetriever(ChunkStore.open(untranslated), embedder, untranslated.retrieval).retrieve(french, "fr")
    [same] = HybridRetriever(ChunkStore.open(settings), embedder, settings.retrieval).retrieve(french, "fr")
    assert same.translations and same.similarity == pytest.approx(own.similarity)  # same language: its own cosine


def test_a_passage_is_as_close_to_a_question_as_its_closest_translated_sentence(
    settings: Settings, corpus: Path
) -> None:
    indexed(settings, corpus, Dictionary(TABLE))
    embedder = FakeEmbedder()
    question = "How many teams did it support in 2024?"
    [read] = HybridRetriever(ChunkStore.open(settings), embedder, settings.retrieval).retrieve(question, "en")
    asked = embedder.embed_query(question)
    sentence, whole = embedder.embed_documents([TABLE[ACCOMPANIED], f"{read.section}\n{' '.join(TABLE.values())}"])

    def cosine(vector: list[float]) -> float:
        return sum(a * b for a, b in zip(asked, vector, strict=True))

    assert cosine(sentence) > cosine(whole)  # the one sentence that answers is closer than the whole passage
    assert read.similarity == pytest.approx(cosine(sentence))
