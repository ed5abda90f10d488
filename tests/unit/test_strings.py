"""The page's language: how it is chosen, and that both languages are complete."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from ui.strings import GRADIO_LABELS, STRINGS, button_keys, choose_language


@pytest.mark.parametrize(
    ("requested", "accept_language", "expected"),
    [
        ("en", "fr-FR,fr;q=0.9", "en"),  # ?lang= wins over the browser
        ("fr", None, "fr"),
        ("de", "fr-FR,fr;q=0.9,en;q=0.8", "fr"),  # an unknown ?lang= is ignored
        (None, "de-DE,de;q=0.9,en-GB;q=0.8,fr;q=0.7", "en"),  # the preferred of fr/en
        (None, "en;q=0.5,fr;q=0.6", "fr"),  # by quality, not by position
        (None, "FR-ca", "fr"),
        (None, "fr;q=0,en;q=0.1", "en"),  # q=0 means "not this one"
        (None, "de-DE,es", "en"),  # neither: English
        (None, "", "en"),
        (None, "fr;q=abc,en", "en"),  # a malformed quality is skipped
    ],
)
def test_the_language_comes_from_the_request_then_the_browser(
    requested: str | None, accept_language: str | None, expected: str
) -> None:
    assert choose_language(requested, accept_language) == expected


def test_both_languages_have_every_string_and_translate_it() -> None:
    french, english = asdict(STRINGS["fr"]), asdict(STRINGS["en"])
    assert french.keys() == english.keys()
    assert all(french[k] and english[k] for k in french)
    assert french["buttons"].keys() == english["buttons"].keys() >= set(GRADIO_LABELS.values()) | {"submit"}
    assert french["question_placeholder"] != english["question_placeholder"]
    assert len(STRINGS["fr"].examples) == len(STRINGS["en"].examples) >= 2


def test_gradio_buttons_and_our_own_names_are_known_in_both_languages() -> None:
    keys = button_keys()
    assert keys["Je n'aime pas"] == keys["Dislike"] == keys["Réponse pas utile"] == "dislike"
    assert keys["Unhelpful answer"] == "dislike"
    assert STRINGS["fr"].buttons[keys["Copy message"]] == "Copier le message"
