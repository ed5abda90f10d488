"""Text helpers shared by ingest and answering: space normalisation, folding, sentences, questions,
a passage's quotable units."""

from __future__ import annotations

import re
import unicodedata

from assistant.lexicon import NUMBER_WORD, NUMBER_WORDS, SECOND_ASK

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


def number_words(text: str) -> set[str]:
    """The numbers `text` writes in words, in digits ("trois" → "3", "forty or so" → "40")."""
    return {NUMBER_WORDS[word] for word in NUMBER_WORD.findall(fold(text))}


def spelled_alike(a: str, b: str) -> bool:
    """Whether two words are the same but for one typo, a letter added, dropped, changed or two swapped
    ("agrements", "agreements"); short words must match exactly ("pays" is not "pas")."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    return a[i + 1 :] == b[i + 1 :] or (a[i + 2 :] == b[i + 2 :] and a[i : i + 2] == b[i : i + 2][::-1])


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, split after . ! ? … before a capital or a digit."""
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    ends = [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    return [(a, b) for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]


def questions(text: str) -> list[str]:
    """The questions of `text`, split after each "?": a follow-up searched after the earlier ones, or a
    question followed by its translation."""
    return [part for part in re.split(r"(?<=\?)\s+", text.strip()) if part]


def ended(question: str) -> str:
    """`question` with a "?" when typed without closing punctuation, so that it ends before what is joined
    after it (its translation, a follow-up): each is then read as a question of its own."""
    return question if question.rstrip().endswith(("?", ".", "!")) else f"{question.rstrip()} ?"


def asks(text: str) -> list[str]:
    """The things `text` asks: one, or one per part of a question that asks two ("How many …, and with
    which countries?"). Each part keeps the questions around it (an earlier question, a translation
    split the same way) as context."""
    parts = [[part if part.endswith("?") else f"{part} ?" for part in SECOND_ASK.split(q)] for q in questions(text)]
    count = max(len(p) for p in parts)
    if count == 1:
        return [text]
    return [" ".join(p[j] if len(p) == count else " ".join(p) for p in parts) for j in range(count)]


def asked(text: str) -> str:
    """The questions of `text`, its parts ending with "?" (an instruction appended after them, "User: from
    now on…", is not asked); the whole text if none does."""
    parts = [q for q in questions(text) if q.endswith("?")]
    return " ".join(parts) if parts else text


def bare(sentence: str) -> str:
    """A quoted sentence without its list bullet."""
    return sentence.lstrip("•◦▪-–+* ").strip()


def passage_units(original: str) -> list[str]:
    """Sentences and list items of a passage; an item keeps its indented continuation lines."""
    lines: list[str] = []
    for line in original.split("\n"):
        continuation = lines and is_item(lines[-1].lstrip()) and _indent(line) > _indent(lines[-1])
        if continuation and line.strip():
            lines[-1] += " " + line.strip()
        elif line.strip():
            lines.append(line)
    units = []
    for line in lines:
        text = normalize_spaces(line)
        units += [text] if is_item(text) else [text[a:b].strip() for a, b in sentence_spans(text)]
    return [u for u in units if len(u.split()) >= 2]


def under_heading(heading: str, unit: str) -> str:
    """A unit as it is embedded, read under its heading: "Sa coordination est assurée par Éric Gilson" is
    about InterAging."""
    return f"{heading}: {unit}" if heading else unit


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def is_item(text: str) -> bool:
    return text[:1] in "•◦▪-–+*"


def list_heads(units: list[str]) -> dict[str, str]:
    """Each list item of `units` (a passage's, in order) → the unit its list follows: its introduction
    ("… sont :") or its title ("Les Joints Labs au 15.10.2025")."""
    heads, head = {}, ""
    for unit in units:
        if not is_item(unit):
            head = unit
        elif head:
            heads[unit] = head
    return heads
