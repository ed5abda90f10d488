"""Cleaning: site chrome out, content kept, offsets intact, on both shipped texts."""

from __future__ import annotations

from assistant.settings import CleaningSettings
from assistant.text import fold, normalize_spaces
from ingest.clean import Cleaner
from tests.helpers import CORPUS

FR = (CORPUS / "inserm-international-fr.txt").read_text(encoding="utf-8")
EN = (CORPUS / "inserm-international-policy-en.txt").read_text(encoding="utf-8")


def kept_text(cleaner: Cleaner, text: str) -> str:
    return "\n".join(line.text for line in cleaner.clean(text) if line.text)


def test_site_chrome_of_both_pages_is_removed() -> None:
    cleaner = Cleaner(CleaningSettings(), [FR, EN])
    fr, en = kept_text(cleaner, FR), kept_text(cleaner, EN)
    assert "vous seront proposés par défaut" not in fr
    assert "Ces boutons servent" not in fr
    assert "Top of page" not in en
    assert "View Edit Create here" not in en


def test_content_is_kept_line_for_line() -> None:
    cleaner = Cleaner(CleaningSettings(), [FR, EN])
    for text in (FR, EN):
        content = [line for line in text.splitlines() if line.strip()]
        kept = [line.text for line in cleaner.clean(text) if line.text]
        # Only the two chrome lines of each page go.
        assert len(content) - len(kept) == 2
    assert "Sa coordination scientifique est assurée par Éric Gilson." in kept_text(cleaner, FR)
    assert "Inserm’s instruments for international cooperation" in kept_text(cleaner, EN)


def test_kept_lines_point_at_the_original_text() -> None:
    for line in Cleaner(CleaningSettings()).clean(FR):
        assert FR[line.start : line.end] == line.text


def test_lines_repeated_across_pages_are_navigation() -> None:
    pages = [f"Accueil › Recherche\n\nPage {n} text about topic {n}.\n\nContactez-nous\n" for n in "ABC"]
    cleaner = Cleaner(CleaningSettings(), pages)
    kept = kept_text(cleaner, pages[0])
    assert kept == "Page A text about topic A."


def test_a_line_in_one_page_only_is_not_repeated_navigation() -> None:
    pages = [
        "Intro\n\nShared footer line\n",
        "Other\n\nShared footer line\n",
        "Third\n\nSomething else\n",
        "Fourth\n\nMore\n",
        "Fifth\n\nStill more\n",
    ]
    cleaner = Cleaner(CleaningSettings(), pages)
    # Two pages out of five is below the default share of one half.
    assert "Shared footer line" in kept_text(cleaner, pages[0])


def test_ui_rules_are_settings() -> None:
    text = "Imprimer cette page\n\nLe contenu.\n"
    assert "Imprimer cette page" in kept_text(Cleaner(CleaningSettings()), text)
    custom = CleaningSettings(ui_patterns=[r"^imprimer cette page$"])
    assert kept_text(Cleaner(custom), text) == "Le contenu."


def test_lines_without_letters_and_ui_word_lines_go() -> None:
    text = "* * *\n\n| 1 | 2 |\n\nEdit | Share | Print\n\nLe PCT InterAging a été lancé en 2021.\n"
    assert kept_text(Cleaner(CleaningSettings()), text) == "Le PCT InterAging a été lancé en 2021."


def test_typographic_spaces_are_normalised_for_indexing() -> None:
    assert normalize_spaces("20.000\u00a0€,\u202fpar an pendant 5\u00a0ans") == "20.000 €, par an pendant 5 ans"
    assert normalize_spaces("co\u00adopération\u200b  et   plus ") == "coopération et plus"


def test_fold_ignores_case_accents_and_apostrophe_style() -> None:
    assert fold("L’Institut de la RÉGION") == fold("l'institut de la region")
