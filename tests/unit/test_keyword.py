"""BM25 keyword index: analysis per language, exact codes and numbers, cross-language queries."""

from __future__ import annotations

import pytest

from assistant.retrieval.keyword import KeywordIndex, analyze, query_groups
from tests.helpers import CORPUS


def corpus_paragraphs() -> tuple[list[str], list[str], list[str]]:
    """The shipped corpus split on blank lines; language from the file name."""
    ids, texts, languages = [], [], []
    for path in sorted(CORPUS.glob("*.txt")):
        language = "fr" if path.stem.endswith("-fr") else "en"
        paragraphs = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        for number, paragraph in enumerate(paragraphs):
            ids.append(f"{path.stem}#{number}")
            texts.append(paragraph)
            languages.append(language)
    return ids, texts, languages


IDS, TEXTS, LANGUAGES = corpus_paragraphs()
TEXT_OF = dict(zip(IDS, TEXTS, strict=True))
LANGUAGE_OF = dict(zip(IDS, LANGUAGES, strict=True))


@pytest.fixture(scope="module")
def index() -> KeywordIndex:
    return KeywordIndex(IDS, TEXTS, LANGUAGES)


# --- analysis ---------------------------------------------------------------------------------


def test_accents_and_case_are_folded() -> None:
    assert analyze("Éric", "fr") == analyze("eric", "fr") == ["eric"]
    assert analyze("thématique", "fr") == analyze("THEMATIQUE", "fr")
    assert analyze("États-Unis", "fr") == analyze("etats unis", "fr")


def test_french_elisions_and_typographic_apostrophes_are_stripped() -> None:
    assert analyze("l’Inserm", "fr") == analyze("l'Inserm", "fr") == ["inserm"]
    assert analyze("d’activité qu’Inserm s’engage n’est j’ai c’est", "fr")[:2] == analyze("activité Inserm", "fr")
    assert analyze("Inserm’s partners", "en") == analyze("Inserm partners", "en")


def test_tokens_with_digits_are_kept_whole_and_unstemmed() -> None:
    assert analyze("U1059, Saint-Étienne", "fr")[0] == "u1059"
    assert analyze("212 projets en 2024", "fr") == ["212", "projet", "2024"]
    assert analyze("le 15.10.2025", "fr") == ["15.10.2025"]
    # Thousands separators are dropped, the same way whatever the convention.
    assert analyze("20.000 €", "fr") == analyze("20 000 €", "fr") == analyze("20,000", "en") == ["20000"]
    assert analyze("2,5 %", "fr") == ["2,5"]


def test_each_language_uses_its_own_stemmer() -> None:
    assert analyze("projets", "fr") == analyze("projet", "fr")
    assert analyze("coordonnées", "fr") == analyze("coordonne", "fr") == analyze("coordonnees", "fr")
    assert analyze("financées", "fr") == analyze("financer", "fr")
    assert analyze("agreements", "en") == analyze("agreement", "en") == ["agreement"]
    assert analyze("partners", "de") == ["partners"]  # any other language: no stemming


def test_stop_words_are_dropped_but_acronyms_kept() -> None:
    assert analyze("Quel est le nombre de projets ?", "fr") == ["nombr", "projet"]
    assert analyze("How many agreements does Inserm have?", "en") == ["agreement", "inserm"]
    assert analyze("Who is the WHO?", "en") == ["who"]  # the organisation, not the question word
    assert analyze("PCT INPP LIEN", "fr") == ["pct", "inpp", "lien"]


# --- search -----------------------------------------------------------------------------------


def best(index: KeywordIndex, query: str, language: str | None = None) -> str:
    hits = index.search(query, k=5, language=language)
    assert hits, query
    return hits[0][0]


def test_unit_code_matches_exactly(index: KeywordIndex) -> None:
    assert "U1059" in TEXT_OF[best(index, "U1059")]
    assert "U1329" in TEXT_OF[best(index, "u1329")]


def test_a_code_outweighs_a_common_word_in_a_shorter_passage() -> None:
    long_list = "Centre de recherche en cancérologie de Marseille – U1068, Lyon, Paris, Villejuif, Strasbourg"
    index = KeywordIndex(["list", "short"], [long_list, "Les unités Inserm"], ["fr", "fr"])
    assert index.search("Quelle unité porte le code U1068 ?", k=2)[0][0] == "list"


def test_english_question_finds_french_passage(index: KeywordIndex) -> None:
    top = best(index, "Who coordinates ClimateHealth?", "en")
    assert "ClimateHealth" in TEXT_OF[top]
    assert LANGUAGE_OF[top] == "fr"


def test_french_question_on_a_number(index: KeywordIndex) -> None:
    assert "212 projets Horizon Europe" in TEXT_OF[best(index, "Combien de projets Horizon Europe ?", "fr")]
    assert "20.000\xa0€" in TEXT_OF[best(index, "Joint Lab 20 000 euros", "fr")]


def test_names_match_without_accents(index: KeywordIndex) -> None:
    assert "Éric Gilson" in TEXT_OF[best(index, "Eric Gilson")]
    assert "Éric Gilson" in TEXT_OF[best(index, "Éric Gilson")]


def test_acronym_finds_english_passage(index: KeywordIndex) -> None:
    top = best(index, "LIEN agreements", "fr")
    assert "(LIEN)" in TEXT_OF[top]


def test_stop_words_only_query_finds_nothing(index: KeywordIndex) -> None:
    assert index.search("Qui est le ?", k=5) == []
    assert index.search("What is the, how many?", k=5) == []
    assert index.search("", k=5) == []


def test_empty_index_and_non_positive_k() -> None:
    empty = KeywordIndex([], [], [])
    assert len(empty) == 0
    assert empty.search("U1059", k=5) == []
    assert KeywordIndex(["a"], ["U1059"], ["fr"]).search("U1059", k=0) == []


def test_k_is_respected_and_scores_descend(index: KeywordIndex) -> None:
    assert len(index) == len(IDS)
    for k in (1, 3, 10):
        hits = index.search("Inserm recherche partenaires research partners", k=k)
        assert len(hits) == k
        scores = [score for _, score in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(score > 0 for score in scores)


def test_mismatched_lengths_are_rejected() -> None:
    with pytest.raises(ValueError):
        KeywordIndex(["a", "b"], ["text"], ["fr"])


# --- regions -----------------------------------------------------------------------------------


def test_a_region_finds_the_places_it_covers() -> None:
    ids = ["buenos-aires", "seoul", "washington"]
    texts = [
        "Centre de recherche en cancérologie de Marseille – U1068 + Universidad de Buenos Aires, Argentine.",
        "Accords signés avec le Japon, la Corée du Sud et Taïwan.",
        "Le bureau de Washington accompagne les collaborations en Amérique du Nord.",
    ]
    regions = KeywordIndex(ids, texts, ["fr"] * 3)
    assert [hit for hit, _ in regions.search("Un Joint Lab avec un partenaire en Amérique du Sud ?", 3)] == [
        "buenos-aires"
    ]
    assert [hit for hit, _ in regions.search("Which partners are in Asia?", 3)] == ["seoul"]
    assert [hit for hit, _ in regions.search("Which one is in Latin America?", 3)] == ["buenos-aires"]


def test_horizon_europe_is_no_region() -> None:
    assert query_groups("Combien de projets Horizon Europe ?") == [
        ("projet", "projets"),
        ("horizon",),
        ("europ", "europe"),
    ]
    assert any("germany" in group for group in query_groups("Quels sont les partenaires européens de l'INPP ?"))
