"""The quoting responder: the extractive choice of sentences, translated by a chat model when needed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answering import prompts
from assistant.answering.responders import ExtractiveResponder, QuotingResponder
from assistant.errors import BackendUnavailableError
from assistant.schema import Passage
from tests.helpers import FakeEmbedder, ScriptedChatModel, scripted

FRENCH = Passage(
    "fr-1",
    "inserm-fr",
    "L’Inserm",
    "Bruxelles",
    "https://example.org/fr",
    "fr",
    "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97.",
    "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97.",
    0.1,
    0.9,
)
ENGLISH = replace(
    FRENCH,
    id="en-1",
    language="en",
    text="Inserm has an office in Brussels since 2009.",
    original="Inserm has an office in Brussels since 2009.",
)


def quoting(drafts: list[str]) -> QuotingResponder:
    return QuotingResponder(ExtractiveResponder(FakeEmbedder()), scripted(drafts))


def test_sentences_in_the_other_language_are_translated_one_at_a_time() -> None:
    responder = quoting(["  Inserm takes part in 212 Horizon Europe projects and coordinates 97."])
    answer = "".join(responder.stream("How many Horizon Europe projects?", [FRENCH], "en"))
    assert answer == (
        prompts.EXTRACTIVE_INTRO_TRANSLATED["en"]
        + "\n- Inserm takes part in 212 Horizon Europe projects and coordinates 97. [1]"
    )
    model = responder.chat.model
    assert isinstance(model, ScriptedChatModel) and len(model.prompts) == 1
    sent = model.prompts[0]
    assert sent[0].content == prompts.TRANSLATE_SYSTEM and FRENCH.original in str(sent[1].content)
    assert "Translate into English" in str(sent[1].content)


def test_an_approximate_french_numeral_is_sent_to_the_model_in_digits() -> None:
    responder = scripted(["Every year, Inserm selects about 30 proposals."])
    translation = "".join(responder.translated("Chaque année, l’Inserm retient une trentaine de propositions.", "en"))
    assert translation == "Every year, Inserm selects about 30 proposals."
    assert isinstance(responder.model, ScriptedChatModel)
    sent = str(responder.model.prompts[0][1].content)
    assert sent.endswith("Chaque année, l’Inserm retient environ 30 propositions.")


def test_sentences_in_the_asker_language_are_quoted_without_the_model() -> None:
    responder = quoting([])
    answer = "".join(responder.stream("Since when is there an office in Brussels?", [ENGLISH], "en"))
    assert answer == prompts.EXTRACTIVE_INTRO["en"] + "\n- " + ENGLISH.original + " [1]"
    assert isinstance(responder.chat.model, ScriptedChatModel) and responder.chat.model.prompts == []


def test_an_empty_translation_leaves_the_original_sentence() -> None:
    answer = "".join(quoting([""]).stream("How many projects?", [FRENCH], "en"))
    assert answer.endswith("\n- " + FRENCH.original + " [1]")


def test_an_unreachable_model_is_a_backend_error() -> None:
    responder = QuotingResponder(ExtractiveResponder(FakeEmbedder()), scripted([], error=OSError("connection refused")))
    with pytest.raises(BackendUnavailableError):
        "".join(responder.stream("How many projects?", [FRENCH], "en"))
