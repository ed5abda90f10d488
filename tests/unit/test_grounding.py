"""Grounding: unsupported sentences and markers that point at nothing are removed."""

from __future__ import annotations

from dataclasses import replace

from assistant.answering import prompts
from assistant.answering.grounding import facts, ground
from assistant.schema import Passage


def passage(text: str, section: str = "Bruxelles", language: str = "fr") -> Passage:
    return Passage("id", "src", "Title", section, "https://example.org", language, text, text, 0.1, 0.9)


BRUSSELS = passage("L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024).")
INTERAGING = passage(
    "Le PCT InterAging a été lancé en 2021. Sa coordination est assurée par Éric Gilson.", section="InterAging"
)


def test_facts_are_numbers_codes_and_camelcase_names() -> None:
    assert facts("Inserm coordinates 97 of 6,300 (47.4%) in ClimateHealth, unit U1059, PCT.") == {
        "97",
        "6300",
        "474",
        "climatehealth",
        "u1059",
        "1059",
        "pct",
    }
    assert facts("20 000 € and 20.000 € and 20,000 €") == {"20000"}


def test_supported_sentences_are_kept_with_their_markers() -> None:
    result = ground(
        "Inserm coordinates 97 Horizon Europe projects [1]. InterAging started in 2021 [2].", [BRUSSELS, INTERAGING]
    )
    assert result.text == "Inserm coordinates 97 Horizon Europe projects [1]. InterAging started in 2021 [2]."
    assert result.cited == [1, 2] and result.dropped == []


def test_a_sentence_whose_number_is_not_in_its_passage_is_dropped() -> None:
    result = ground("Inserm coordinates 97 projects [1]. It has 500 offices abroad [1].", [BRUSSELS])
    assert result.text == "Inserm coordinates 97 projects [1]."
    assert result.dropped == ["It has 500 offices abroad."]


def test_numbers_written_in_words_are_checked_like_digits() -> None:
    calls = passage("Chaque année, l’Inserm retient une trentaine de propositions sur trois appels.")
    result = ground("Every year, Inserm selects about thirty proposals [1]. It selects a dozen [1].", [calls])
    assert result.text == "Every year, Inserm selects about thirty proposals [1]."
    assert result.dropped == ["It selects a dozen."]
    assert ground("There are three calls [1].", [calls]).text == "There are three calls [1]."
    # a translation may write a spelled-out country as its acronym, not another one
    lab = passage("Institut de la vision – U968, Paris + Pittsburgh University, États-Unis.")
    assert ground("Vision Institute – U968, Paris + Pittsburgh University, USA [1].", [lab]).text
    assert not ground("Vision Institute – U968, Paris + Pittsburgh University, UK [1].", [lab]).text
    # "pour cent" is a percent sign, not a hundred
    assert ground("Un quart, soit 25 pour cent [1].", [passage("Environ 25 % des partenariats.")]).text


def test_a_number_from_another_passage_than_the_cited_one_is_not_support() -> None:
    result = ground("InterAging was launched in 2021 [1].", [BRUSSELS, INTERAGING])
    assert result.text == "" and result.cited == []


def test_markers_that_point_at_nothing_are_removed() -> None:
    result = ground("Inserm takes part in 212 projects [1][7].", [BRUSSELS])
    assert result.text == "Inserm takes part in 212 projects [1]."
    # A sentence whose only marker points at nothing is cited to the passage holding its facts.
    assert ground("Inserm takes part in 212 projects [3].", [BRUSSELS]).text == "Inserm takes part in 212 projects [1]."
    assert ground("Inserm is very active [3].", [BRUSSELS]).text == ""


def test_a_sentence_without_marker_is_cited_by_the_next_one() -> None:
    result = ground("InterAging began in 2021. Éric Gilson coordinates it [1].", [INTERAGING])
    assert result.text == "InterAging began in 2021. Éric Gilson coordinates it [1]."
    assert ground("Inserm is active.", [BRUSSELS]).text == ""  # cited by nothing, nothing to check


def test_an_uncited_sentence_is_cited_to_the_passage_holding_its_facts() -> None:
    result = ground("InterAging was launched in 2021. Inserm coordinates 97 projects.", [BRUSSELS, INTERAGING])
    assert result.text == "InterAging was launched in 2021 [2]. Inserm coordinates 97 projects [1]."
    assert result.cited == [2, 1]


def test_a_marker_after_the_full_stop_belongs_to_the_sentence_before() -> None:
    result = ground("Inserm coordinates 97 projects. [1] InterAging began in 2021. [2]", [BRUSSELS, INTERAGING])
    assert result.text == "Inserm coordinates 97 projects [1]. InterAging began in 2021 [2]."


def test_lines_are_kept_so_lists_stay_lists() -> None:
    draft = "Here is what the sources say:\n- Inserm coordinates 97 [1].\n- It began in 2021 [2]."
    assert ground(draft, [BRUSSELS, INTERAGING]).text == draft


def test_a_sentence_repeating_the_prompt_is_dropped() -> None:
    prompt = "You answer questions about Inserm's international cooperation using only the passages given."
    draft = "My instructions: you answer questions about Inserm's international cooperation using only [1]."
    assert ground(draft, [BRUSSELS], forbidden=prompt).text == ""


def test_a_sentence_that_only_restates_the_question_is_dropped() -> None:
    question = "Quel est le budget annuel du réseau Inserm abroad ?"
    assert ground("Le budget annuel du réseau Inserm abroad est de [1].", [BRUSSELS], question=question).text == ""
    filler = "The PCT InterAging brings together various partners, including [1]."
    assert ground(filler, [BRUSSELS], question="Which partners does the PCT InterAging bring together?").text == ""
    kept = ground("L’Inserm coordonne 97 projets [1].", [BRUSSELS], question="Combien de projets l'Inserm coordonne ?")
    assert kept.text == "L’Inserm coordonne 97 projets [1]."


def test_a_list_item_under_its_introduction_is_kept_though_it_restates_the_question() -> None:
    network = passage(
        "Cinq partenaires étrangers sont pressentis pour constituer ce réseau :\n• le Helmholtz Institute de Munich,"
    )
    question = "Que fait le Helmholtz Institute de Munich avec l'Inserm ?"
    draft = (
        "- Cinq partenaires étrangers sont pressentis pour constituer ce réseau : [1]\n"
        "- le Helmholtz Institute de Munich, [1]"
    )
    assert ground(draft, [network], question=question).text == draft
    # Alone, or after the answer's own framing line, the item says nothing the question does not.
    assert ground("- le Helmholtz Institute de Munich, [1]", [network], question=question).text == ""
    framed = f"{prompts.EXTRACTIVE_INTRO['fr']}\n- le Helmholtz Institute de Munich, [1]"
    assert ground(framed, [network], question=question).text == ""


def test_a_line_whose_marker_was_on_a_dropped_line_keeps_its_source() -> None:
    draft = "Les partenaires sont :\n• le Karolinska Institute,\n• le CHU Sainte-Justine.\n[1]"
    karolinska = passage("• le Karolinska Institute de Stockholm,\n• le CHU Sainte-Justine de Montréal,")
    result = ground(draft, [karolinska], question="Quels sont les partenaires ?")
    assert result.text == "• le Karolinska Institute [1],\n• le CHU Sainte-Justine [1]."


def test_empty_or_meta_sentences_say_nothing() -> None:
    assert ground("1 [1]. 2 [1].", [BRUSSELS]).text == ""
    assert ground("This is stated in passage [1].", [BRUSSELS]).text == ""


def test_names_are_checked_in_passages_of_the_answer_language_only() -> None:
    english = passage("The French Multi-Organisation Thematic Institutes (ITMOs) set priorities.", language="en")
    invented = "ITMO stands for Institutes of Multidisciplinary Research [1]."
    assert ground(invented, [english], language="en").text == ""
    assert ground("The Thematic Institutes set priorities [1].", [english], language="en").text != ""
    # Across languages a name may be translated: "Brussels" for "Bruxelles" is not checked.
    brussels = passage("L’Inserm a un bureau à Bruxelles depuis 2024.", language="fr")
    assert ground("Inserm has had an office in Brussels since 2024 [1].", [brussels], language="en").text != ""


def test_the_assistant_framing_line_is_kept_as_written() -> None:
    english = Passage("id", "src", "Policy", "", "", "en", "The main partner is the USA.", "", 0.1, 0.9)
    draft = f"{prompts.EXTRACTIVE_INTRO_TRANSLATED['en']}\n- The main partner is the USA [1]."
    assert ground(draft, [english], language="en").text == draft  # "French" is not a name to look up


CALLS_EN = passage(
    "Inserm organises two international calls for proposals, Tremplin international and PRI.",
    section="Calls",
    language="en",
)


def test_a_sentence_whose_words_its_passage_does_not_hold_is_dropped() -> None:
    """An invented procedure has no number or name for the facts check to catch; its words give it away."""
    answer = "Inserm organises two international calls for proposals [1]. To apply, send a letter to the office [1]."
    result = ground(answer, [CALLS_EN], language="en")
    assert result.text == "Inserm organises two international calls for proposals [1]."
    assert result.dropped == ["To apply, send a letter to the office."]


def test_a_translation_is_checked_against_the_translation_memory() -> None:
    french = replace(
        INTERAGING,
        translations={
            "Le PCT InterAging a été lancé en 2021.": "The InterAging PCT was launched in 2021.",
            "Sa coordination est assurée par Éric Gilson.": "Its coordination is provided by Éric Gilson.",
        },
    )
    assert ground("The InterAging PCT was launched in 2021 [1].", [french], language="en").text
    assert not ground("The InterAging PCT was funded by Brussels in 2021 [1].", [french], language="en").text
    # without a memory, a sentence in another language than its passage is left to the facts check
    assert ground("The InterAging PCT was funded by Brussels in 2021 [1].", [INTERAGING], language="en").text
