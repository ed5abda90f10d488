"""The language a question is asked in."""

from __future__ import annotations

from assistant.language import question_language


def test_a_questions_language_is_read_from_the_askers_words_not_from_the_names_quoted() -> None:
    assert question_language("Qui coordonne l'International Network for Precision Psychiatry ?") == "fr"
    assert (
        question_language("When did the Réseau International de Recherche en Psychiatrie de Précision start?") == "en"
    )
    # The first word of each sentence is the asker's, capitalised or not.
    assert question_language("Tell me about ClimateHealth. When was it launched?") == "en"
