"""Language identification with py3langid (its model ships inside the package)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

LANGUAGES = ("fr", "en")  # the languages the assistant answers in


def other_language(language: str) -> str:
    """The other of the two languages: the one a passage's translation is in."""
    return "en" if language == "fr" else "fr"


@lru_cache(maxsize=8)
def _identifier(candidates: tuple[str, ...]) -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_DIR / MODEL_FILE, norm_probs=True)
    if candidates:
        identifier.set_languages(list(candidates))
    return identifier


def detect_language(text: str, candidates: Sequence[str] = ()) -> str:
    """ISO 639-1 code of `text`, chosen among `candidates` when given."""
    language, _ = _identifier(tuple(candidates)).classify(text)
    return str(language)


# A name the asker quotes: capitalised words but the first of a sentence, with the short words inside
# the name ("l'International Network for Precision Psychiatry", "Centre de recherche en infectiologie").
_QUOTED_NAME = re.compile(
    r"(?<=[\s'’])(?<![.?!] )[A-ZÀ-Ý][\w’'-]*"
    r"(?:\s+(?:(?:for|of|and|the|in|de|du|des|en|et|la|le|pour|&)\s+)*[A-ZÀ-Ý][\w’'-]*)*"
)


def question_language(question: str) -> str:
    """The language of the asker's own words, among `LANGUAGES`: the names they quote are left out, so
    "Qui coordonne l'International Network for Precision Psychiatry ?" is French (unless only names are left)."""
    words = _QUOTED_NAME.sub(" ", question.strip())
    return detect_language(words if re.search(r"[^\W\d_]{2}", words) else question, LANGUAGES)
