"""Follow-ups made standalone without a model (the deterministic rule)."""

from __future__ import annotations

import pytest

from assistant.answering.conversation import Message, depends_on_context, rule_based_standalone


@pytest.mark.parametrize(
    "question",
    [
        "Who coordinates it?",
        "Et qui le coordonne ?",
        "And when was it launched?",
        "Quand a-t-il été lancé ?",
        "Combien de projets coordonne-t-il ?",
        "Et quel est son rang pour les bourses ERC ?",
        "Et qui est son directeur à Washington ?",
        "What about the Washington office?",
        "Et l'INPP ?",
        "Apart from advising Inserm's leadership, what is it meant to become?",
        "Going back to the European one, which Inserm unit is it paired with?",
        "Lesquels ont un partenaire canadien ?",
        "Which one is in Bangladesh?",
        "Qui d'autre en fait partie ?",
        # No verb and no name but Inserm's: a fragment.
        "Avec quel institut partenaire, et dans quelle ville ?",
        "Signé avec quel ministère, au juste ?",
        "In partnership with which hospital, exactly?",
        "Présent dans quelles villes au tout début ?",
        "Which Inserm unit, exactly?",
        # A count of nothing the question names.
        "How many have been deployed so far?",
        "Combien sont coordonnés directement par l'institut ?",
        # Demonstrative pronouns, a set's members by their place in it, the same question again.
        "Ça représente combien de projets ?",
        "Tu peux me les lister ?",
        "How is the latter selected?",
        "Is the third one already running?",
        "Le premier est en Allemagne ?",
        "The same question for the INPP.",
        # A leading "and" before a preposition: the earlier subject goes on.
        "Et pour les bourses ERC, il se place où parmi les organismes français ?",
        "And apart from Africa and Latin America, where else is the agency behind them active?",
        "Et côté politiques publiques de l'UE, elle pousse dans quel sens ?",
        "And in Canada?",
    ],
)
def test_questions_that_lean_on_the_conversation(question: str) -> None:
    assert depends_on_context(question)


@pytest.mark.parametrize(
    "question",
    [
        "How many Horizon Europe projects does Inserm coordinate?",
        "Combien de Joint Labs y a-t-il ?",
        "Quels sont les partenaires du PCT InterAging ?",
        "Combien de projets Horizon Europe l'Inserm coordonne-t-il ?",
        "Quand le réseau Inserm abroad a-t-il été créé ?",
        "Combien de projets Horizon Europe l'Inserm coordonne-t-il, et quel est son rang pour les bourses ERC ?",
        "Who coordinates ClimateHealth, and what is its budget?",
        "Le PCT InterAging, il a été lancé quand ?",
        "Since the ClimateHealth programme was launched back in March 2022, when was it actually launched?",
        "Who is in charge of ProPsy, the France 2030 programme that the INPP works alongside?",
        "Parmi les trois PCT, lequel est le plus récent ?",
        "Parmi les pays avec lesquels l'Inserm a signé des accords LIEN, lequel a rejoint Inserm abroad en 2025 ?",
        "Pourquoi le soutien des Joint Labs s'arrête-t-il au bout de cinq ans ? Qu'est-ce qui justifie cette durée ?",
        "Combien de temps durent les séminaires scientifiques du nouveau modèle ?",
        "Who takes part in the exploratory visits of the new cooperation model?",
        "Parle-moi du PCT ClimateHealth.",  # a verb, though the tagger misses it after a capital
        "ANRS | MIE and its Prisme platforms: how many have been deployed so far?",
        # An inverted pronoun repeating the name the question opens on.
        "Inserm abroad a-t-il des représentants en Asie ?",
        "ClimateHealth a-t-il un partenaire en Asie du Sud ?",
        # No verb the tagger reads ("partners" as a noun), but a name of its own.
        "Which Inserm unit partners with the Pittsburgh University School of Medicine?",
        # Short, but naming what it asks about with a verb.
        "Who coordinates ClimateHealth?",
        "Qui est Éric Gilson ?",
        # A possessive after the name the question opens on; "there" after a verb; the "ce" of "est-ce".
        "InterAging: who are its partners?",
        "How many Joint Labs were there as of October 2025?",
        "Qu'est-ce que le réseau Inserm abroad ?",
        "Un PCT, ça regroupe combien de partenaires ?",
        # A leading "and" before a subject of its own, named with a verb.
        "And the LIEN agreements, how many years does each one last?",
        "Et le PCT ClimateHealth, il compte combien de partenaires étrangers ?",
        "And is Cardiff University a partner of the INPP?",
        "And who leads the Washington office?",
    ],
)
def test_questions_that_stand_alone(question: str) -> None:
    assert not depends_on_context(question)


def test_a_follow_up_is_searched_with_the_questions_it_depends_on() -> None:
    history = [
        Message("user", "Parle-moi du PCT InterAging."),
        Message("assistant", "Il a été lancé en 2021 [1]."),
        Message("user", "Quand a-t-il été lancé ?"),
        Message("assistant", "En 2021 [1]."),
    ]
    assert rule_based_standalone("Et qui le coordonne ?", history) == (
        "Parle-moi du PCT InterAging. Quand a-t-il été lancé ? Et qui le coordonne ?"
    )
    assert rule_based_standalone("Combien de Joint Labs y a-t-il ?", history) == "Combien de Joint Labs y a-t-il ?"
    assert rule_based_standalone("Le PCT ClimateHealth, il a été lancé quand ?", history) == (
        "Le PCT ClimateHealth, il a été lancé quand ?"
    )
    assert rule_based_standalone("Who coordinates it?", []) == "Who coordinates it?"


def test_an_earlier_question_typed_without_its_question_mark_still_ends_before_the_follow_up() -> None:
    history = [Message("user", "how many researchers take part in interaging"), Message("assistant", "I don't know.")]
    assert rule_based_standalone("And who coordinates it?", history) == (
        "how many researchers take part in interaging ? And who coordinates it?"
    )


def test_a_follow_up_pointing_at_what_the_last_answer_named_is_searched_with_that_name() -> None:
    history = [
        Message("user", "Which programme did the INPP start in synergy with?"),
        Message(
            "assistant",
            "Here is what the sources say:\n"
            "- The INPP PCT began in 2024 in synergy with the ProPsy exploratory programme funded by France 2030 [1].\n"
            "- The programme's scientific coordination is provided by Marion Leboyer [1].",
        ),
    ]
    assert rule_based_standalone("And how does Inserm describe that programme?", history) == (
        "Which programme did the INPP start in synergy with? And how does Inserm describe that programme ProPsy?"
    )
    # A name the conversation already gives, or a noun that is only part of a name ("United Kingdom"), adds nothing.
    history[1] = Message(
        "assistant", "- Biomarkers in oncology – U981, Villejuif + University College London, United Kingdom [1]."
    )
    assert rule_based_standalone("What's that unit's full name?", history).endswith("What's that unit's full name?")
    assert rule_based_standalone("And that programme, who funds it?", history).endswith(
        "And that programme, who funds it?"
    )


def test_a_new_short_question_naming_its_subject_is_not_searched_with_the_last_one() -> None:
    history = [Message("user", "Who coordinates InterAging?"), Message("assistant", "Éric Gilson [1].")]
    assert rule_based_standalone("Who coordinates ClimateHealth?", history) == "Who coordinates ClimateHealth?"
    assert "InterAging" in rule_based_standalone("And when was it launched?", history)


def test_a_blank_earlier_message_is_read_without_error() -> None:
    history = [Message("user", "What is InterAging?"), Message("assistant", "A PCT [1]."), Message("user", "\t")]
    assert depends_on_context("\xa0")
    assert "InterAging" in rule_based_standalone("And who coordinates it?", history)


def test_an_ordinal_pointing_into_the_last_answers_list_is_searched_with_that_item() -> None:
    history = [
        Message("user", "The English page describes a new model for cooperation agreements. What does it rest on?"),
        Message(
            "assistant",
            "Here is what the sources say:\n"
            "- A new model has been created, based on the following three operating modalities: [1]\n"
            "- exploratory visits of short duration (5-10 days) for promising young researchers [1]\n"
            "- joint workshops bringing researchers together [1]\n"
            "- student exchanges [1]",
        ),
    ]
    # the item's figures are left out: "5-10 days" would read as what the question states
    assert rule_based_standalone("La première, elle dure combien de temps ?", history).endswith(
        "? La première (exploratory visits of short duration), elle dure combien de temps ?"
    )
    assert rule_based_standalone("And the last one?", history).endswith("? And the last one (student exchanges)?")
    # an ordinal before a noun names what it counts; one past the list's end points at nothing
    assert rule_based_standalone("Et la première phrase ?", history).endswith("? Et la première phrase ?")
    assert rule_based_standalone("Et le quatrième ?", history).endswith("? Et le quatrième ?")
