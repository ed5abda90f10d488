"""Text helpers shared by ingest and answering: space normalisation, folding, sentences, questions."""

from __future__ import annotations

import re
import unicodedata

# No-break, narrow no-break, thin, figure and other typographic spaces, plus invisible marks.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\"')\]]*\s+(?=[«“\"(\[•\-]?\s?[A-ZÀ-ÖØ-Þ0-9])")


def normalize_spaces(text: str) -> str:
    """Text as indexed: typographic spaces become plain spaces, runs of spaces collapse."""
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    return re.sub(r"[ \t]+", " ", text).strip()


def fold(text: str) -> str:
    """Case- and accent-insensitive form used to compare text."""
    decomposed = unicodedata.normalize("NFKD", normalize_spaces(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, split after . ! ? … before a capital or a digit."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    ends = [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    return [(a, b) for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]


def questions(text: str) -> list[str]:
    """The questions of `text`, split after each "?": a follow-up searched after the earlier ones, or a
    question followed by its translation."""
    return [part for part in re.split(r"(?<=\?)\s+", text.strip()) if part]
