"""Checks that an answer says only what its cited passages say.

An answer is split into sentences. Each sentence is cited by the markers in it ([1], [2][3]),
or else by those of the sentence after it (models often cite once per paragraph), or else by
the first passage that holds all its numbers and names. A marker that points at no passage is
removed. A sentence is kept only if it is cited, if every fact that can be checked by spelling —
numbers, acronyms and codes, CamelCase names — appears in its cited passages, and if every content
word of it is in those passages read in the answer's language: their own text, or the translation
memory's sentences for a passage in the other language (a correct answer in English from a French
passage says "Brussels" where the passage says "Bruxelles"; the memory says it too). The
assistant's own framing lines ("Here is what the sources say…") are kept as written, but never alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.answering.prompts import FRAMING
from assistant.lexicon import FILLER_WORDS, META, NAME_ACRONYMS
from assistant.retrieval.keyword import analyze
from assistant.schema import Passage
from assistant.text import fold, number_words, sentence_spans

MARKER = re.compile(r"\s*\[(\d+)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?…])((?:[ \t]*\[\d+\])+)")
_NUMBER = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9|&-]*[A-Z0-9]\b")  # PCT, INPP, U1059, ANRS
_CAMEL = re.compile(r"\b[A-Z][a-z]+[A-Z]\w*\b")  # ClimateHealth, InterAging
_CAPITALISED = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]{2,}\b")  # Gilson, Karolinska, Multidisciplinary


@dataclass(frozen=True)
class Grounded:
    text: str
    cited: list[int]  # passage numbers, in order of first citation
    dropped: list[str]  # sentences that were not supported


def facts(text: str) -> set[str]:
    """What must be spelled the same in an answer and its source: numbers, acronyms, CamelCase names."""
    numbers = {re.sub(r"[^\d]", "", n) for n in _NUMBER.findall(text)}
    names = {fold(w) for w in _ACRONYM.findall(text) + _CAMEL.findall(text) if len(w) > 1}
    return numbers | names


def _checked(text: str) -> set[str]:
    """The facts of `text` that its source must hold: also the numbers it writes in words, in digits
    ("trois" → "3"), so that "une trentaine" translated "a dozen" is caught."""
    return facts(text) | number_words(text)


def states_only(text: str, source: str) -> bool:
    """Whether every fact of `text` (numbers, acronyms, CamelCase names) is in `source`."""
    haystack = _facts_haystack(source)
    return all(f in haystack for f in _checked(text))


def facts_supported(text: str, source: str) -> bool:
    """Whether the facts of `text` are among those `source` states, fact for fact (the evals' stricter
    form of `states_only`, which looks them up in the source's text: "20" is in "2024")."""
    folded = fold(source)
    stated = _checked(source) | {acronym for acronym, name in NAME_ACRONYMS.items() if name.search(folded)}
    return _checked(text) <= stated


def _facts_haystack(text: str) -> str:
    """`text` folded, plus its numbers in digits run together and the acronyms of the names it spells
    out ("États-Unis" → "usa"), to look facts up in."""
    folded = fold(text)
    numbers = [re.sub(r"[^\d]", "", n) for n in _NUMBER.findall(text)] + sorted(number_words(text))
    acronyms = [acronym for acronym, name in NAME_ACRONYMS.items() if name.search(folded)]
    return folded + "\n" + " ".join(numbers + acronyms)


def ground(
    answer: str, passages: Sequence[Passage], forbidden: str = "", question: str = "", language: str = ""
) -> Grounded:
    """Keep the supported sentences of `answer` (written in `language`).

    `forbidden` is text that must never be repeated (the prompt); a sentence that only restates
    `question` ("The budget of the network is [1].") or talks about the passages themselves
    ("This is stated in passage [1].") says nothing and is dropped.
    """

    # "… 97. [1] Next" → "… 97 [1]. Next": a marker after the full stop belongs to the sentence before it.
    paragraphs = [
        [p[a:b].strip() for a, b in sentence_spans(p)] for p in _MARKER_AFTER_STOP.sub(r"\2\1", answer).split("\n")
    ]
    sentences = [s for paragraph in paragraphs for s in paragraph]
    cited_by = [_markers(s, len(passages)) for s in sentences]
    for i in range(len(sentences) - 2, -1, -1):
        if not cited_by[i]:
            cited_by[i] = cited_by[i + 1]  # "… Sentence. Sentence [2]." cites both with [2]
    haystacks = [_facts_haystack(f"{p.heading}\n{p.text}") for p in passages]
    vocabularies = [_vocabulary(p, language) for p in passages]
    for i, sentence in enumerate(sentences):
        if not cited_by[i] and (found := _attribute(MARKER.sub("", sentence), haystacks)):
            cited_by[i] = found
            sentences[i] = _with_marker(MARKER.sub("", sentence), found)
    supported: dict[int, bool] = {}
    dropped: list[str] = []
    cited: list[int] = []
    for i, (sentence, numbers) in enumerate(zip(sentences, cited_by, strict=True)):
        body = MARKER.sub("", sentence).strip()
        support = "\n".join(haystacks[n - 1] for n in numbers)
        same_language = [passages[n - 1] for n in numbers if passages[n - 1].language == language]
        supported[i] = body in FRAMING or bool(
            len(re.findall(r"[^\W\d_]{2,}", body)) >= 2  # words, not "1." or "[3]"
            and numbers
            and all(f in support for f in _checked(body))
            and _names_found(body, same_language)
            and words_found(body, [vocabularies[n - 1] for n in numbers], language)
            and not (META.search(body) and not body.endswith(":"))  # framing lines may name the sources
            and not _repeats(body, forbidden)
            and not (_restates(body, question) and not _introduced(i, sentences, supported))
        )
        if supported[i]:
            cited += [n for n in numbers if n not in cited]
        elif body:
            dropped.append(body)
    if all(sentences[i].endswith(":") for i in supported if supported[i]):
        return Grounded("", [], dropped)  # an introduction to nothing says nothing
    lines, start = [], 0
    for paragraph in paragraphs:  # the answer keeps its line structure (lists stay lists)
        indices = range(start, start + len(paragraph))
        start += len(paragraph)
        kept = [i for i in indices if supported[i]]
        if kept and not MARKER.search(sentences[kept[-1]]) and not sentences[kept[-1]].endswith(":"):
            # Its marker was on a line or sentence that is gone: the line still shows its sources.
            sentences[kept[-1]] = _with_marker(sentences[kept[-1]], cited_by[kept[-1]])
        if kept:
            lines.append(" ".join(_clean_markers(sentences[i], len(passages)) for i in kept))
    return Grounded("\n".join(lines), cited, dropped)


def _with_marker(sentence: str, numbers: list[int]) -> str:
    """The sentence with its markers before its final punctuation."""
    markers = "".join(f"[{n}]" for n in numbers)
    return re.sub(r"\s*([.!?…,;]*)$", f" {markers}\\1", sentence.rstrip(), count=1)


def _attribute(sentence: str, haystacks: list[str]) -> list[int]:
    """The first passage holding every checkable fact of an uncited sentence, if it has any facts.

    Small models often forget markers; a sentence whose numbers and names all come from one
    passage is cited to it. A sentence with nothing to check stays uncited (and is dropped).
    """
    wanted = facts(sentence)
    found = [n for n, haystack in enumerate(haystacks, start=1) if wanted and all(f in haystack for f in wanted)]
    return found[:1]


def _names_found(sentence: str, passages: Sequence[Passage]) -> bool:
    """Capitalised words inside the sentence appear in the same-language passages it cites.

    Only checked in the passages' own language: across languages names are translated
    ("Brussels" for "Bruxelles").
    """
    if not passages:
        return True
    names = {fold(w) for w in _CAPITALISED.findall(sentence.split(" ", 1)[-1])}
    text = fold("\n".join(f"{p.heading}\n{p.text}" for p in passages))
    return all(name in text for name in names)


def _vocabulary(passage: Passage, language: str) -> set[str] | None:
    return vocabulary(f"{passage.heading}\n{passage.text}", passage.language, passage.translations.values(), language)


def vocabulary(text: str, text_language: str, translations: Iterable[str], language: str) -> set[str] | None:
    """The stemmed words of a passage's `text` (in `text_language`) read in `language`: its text, and the
    translation memory's sentences of it; None for a passage in the other language that the memory does not
    cover (its words cannot be compared with the answer's)."""
    translated = " ".join(translations)
    if text_language != language and not translated:
        return None
    return {*analyze(text, text_language), *analyze(text, language), *analyze(translated, language)}


def words_found(sentence: str, vocabularies: Sequence[set[str] | None], language: str) -> bool:
    """Every content word of the sentence, stemmed, is in the vocabularies of the passages it cites ("to apply,
    send a letter to [1]" is not supported by a passage about the calls). A sentence citing a passage whose
    words cannot be compared is left to the facts check."""
    support: set[str] = set()
    for words in vocabularies:
        if words is None:
            return True
        support |= words
    return set(analyze(sentence, language)) <= support | _FILLER.get(language, frozenset())


# Words that add nothing to a restated question ("…brings together various partners, including [1]."),
# analysed once per language.
_FILLER = {
    lang: frozenset(
        analyze(
            FILLER_WORDS,
            lang,
        )
    )
    for lang in ("fr", "en")
}


def _introduced(i: int, sentences: list[str], supported: dict[int, bool]) -> bool:
    """Whether sentence `i` is a list item under its introduction, kept: the item then says what it belongs to
    ("Five foreign partners are expected to form this network: / The Helmholtz Institute in Munich,"),
    whatever words it shares with the question. The answer's framing line introduces no list."""
    before = MARKER.sub("", sentences[i - 1]).strip() if i else ""
    return before.endswith(":") and before not in FRAMING and supported[i - 1]


def _restates(sentence: str, question: str) -> bool:
    """True if the sentence's words, analysed in French or in English, are all words of the question
    (or filler)."""
    return bool(question) and any(
        set(analyze(sentence, lang)) <= set(analyze(question, lang)) | _FILLER[lang] for lang in ("fr", "en")
    )


def _markers(sentence: str, count: int) -> list[int]:
    return [n for n in dict.fromkeys(int(m) for m in MARKER.findall(sentence)) if 1 <= n <= count]


def _clean_markers(sentence: str, count: int) -> str:
    """Remove markers that point at no passage."""
    return MARKER.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= count else "", sentence)


def _repeats(sentence: str, forbidden: str, words: int = 8) -> bool:
    """True if `sentence` repeats `words` consecutive words of `forbidden`."""
    if not forbidden:
        return False
    tokens = fold(sentence).split()
    text = " ".join(fold(forbidden).split())
    return any(" ".join(tokens[i : i + words]) in text for i in range(len(tokens) - words + 1))
