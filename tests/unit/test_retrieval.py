"""The language quota of hybrid retrieval: room for the other language among the passages returned."""

from __future__ import annotations

from assistant.retrieval.hybrid import with_other_language

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
