"""BM25 keyword index: the exact-match half of hybrid retrieval.

Dense vectors blur codes and names ("U1059", "212", "ClimateHealth"); this index keeps them as
exact terms, while natural words are folded (case, accents) and stemmed with Snowball so that
inflections still meet. Documents are analysed in their own language; a query is analysed in
French and English at once, because a question in one language must also find passages in the
other (names, numbers and cognates cross languages).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache

import numpy as np
import snowballstemmer

from assistant.language import other_language
from assistant.lexicon import ELISION, REGIONS, STOP_WORDS

_QUERY_STOP_WORDS = STOP_WORDS["fr"] | STOP_WORDS["en"]
# A code or number in a question (U1068, 212, 2024) is what the user means most precisely: it must not be
# outranked by a common word in a shorter passage, so its BM25 contribution counts double.
_IDENTIFIER_BOOST = 2.0
_STEMMERS = {"fr": snowballstemmer.stemmer("french"), "en": snowballstemmer.stemmer("english")}
# A Snowball stemmer keeps the word it works on in the instance: two questions stemmed at once in two
# server threads corrupt it (IndexError inside the stemmer, a 500 seen under load).
_STEMMING = threading.Lock()

_APOSTROPHES = re.compile(r"[’ʼ‘`´]")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphens must not split words
_TOKEN = re.compile(
    r"(?<![\w.,])(\d{1,3}([., ])\d{3}(?:\2\d{3})*)(?!\w|[.,]\d)"  # 20.000, 20,000, 20 000 → 20000
    r"|(\d+(?:[.,]\d+)+"  # dates and decimals, whole: 15.10.2025, 2,5
    r"|[^\W_]+(?:'[^\W_]+)*)"  # words and codes, apostrophes inside: l'Inserm, U1059
)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Folding erases the accents Snowball French relies on; put back the two safe, frequent ones.
_FRENCH_ACCENTS = re.compile(r"(?<=[^e])(ee|ite)(s?)$")


def _fold(text: str) -> str:
    """Accents and typographic apostrophes out; case kept, for acronym detection."""
    text = _APOSTROPHES.sub("'", _INVISIBLE.sub("", text))
    if text.isascii():  # the common English case: nothing to decompose
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=1 << 19)
def _pieces(raw: str, grouped: bool) -> tuple[tuple[str, bool], ...]:
    """(lower-case token, protected) of one match; protected (digits, ALL-CAPS acronyms) are never stop words."""
    if grouped:
        return ((re.sub(r"\D", "", raw), True),)
    pieces = []
    for piece in ELISION.sub("", raw).split("'"):
        has_digit = any(c.isdigit() for c in piece)
        if len(piece) > 1 or has_digit:  # lone letters are elision and list-marker debris
            pieces.append((piece.casefold(), has_digit or piece.isupper()))  # "WHO" survives, "who" does not
    return tuple(pieces)


def _tokens(text: str) -> Iterator[tuple[str, bool]]:
    for grouped, _, other in _TOKEN.findall(_fold(text)):
        yield from _pieces(grouped or other, bool(grouped))


@lru_cache(maxsize=1 << 19)
def _term(token: str, language: str) -> str:
    """Index term of one token: codes and numbers whole, words stemmed."""
    stemmer = _STEMMERS.get(language)
    if stemmer is None or any(c.isdigit() for c in token):
        return token
    if language == "fr":
        token = _FRENCH_ACCENTS.sub(lambda m: ("ée" if m.group(1) == "ee" else "ité") + m.group(2), token)
    with _STEMMING:
        stem = stemmer.stemWord(token)
    return str(stem).replace("é", "e")


@lru_cache(maxsize=1 << 19)
def _match_terms(raw: str, grouped: bool, language: str) -> tuple[str, ...]:
    # Cached per surface form: with it, building 50k passages costs a regex pass and dict look-ups.
    stop = STOP_WORDS.get(language, frozenset())
    return tuple(_term(token, language) for token, protected in _pieces(raw, grouped) if protected or token not in stop)


def analyze(text: str, language: str) -> list[str]:
    """Terms of `text`: folded (case, accents, typographic apostrophes), tokenised, stop words of that
    language dropped, stemmed with that language's Snowball stemmer ("fr" or "en"; any other language:
    no stemming). Tokens containing a digit are kept whole and unstemmed (U1059, 212, 2024, 15.10.2025);
    thousands separators are dropped ("20.000", "20,000", "20 000" → "20000"). French elisions
    (l’, d’, qu’, s’, n’, j’, c’…) and the English "'s" are stripped."""
    return [
        term
        for grouped, _, other in _TOKEN.findall(_fold(text))
        for term in _match_terms(grouped or other, bool(grouped), language)
    ]


def query_groups(query: str) -> list[tuple[str, ...]]:
    """One group of alternative terms per distinct query word: its French stem, English stem and raw form.

    Stop words of either language are dropped, so a French question word never matches an English
    passage (and the reverse); a word scores once, by its best alternative, whatever the stems.
    """
    groups: dict[tuple[str, ...], None] = {}
    query, regions = _without_regions(query)
    for places in regions:
        groups[_region_terms(places)] = None
    for token, protected in _tokens(query):
        if protected or token not in _QUERY_STOP_WORDS:
            groups[tuple(dict.fromkeys((_term(token, "fr"), _term(token, "en"), token)))] = None
    return list(groups)


def _without_regions(query: str) -> tuple[str, list[str]]:
    """`query` without the regions it names, and the words and places of each (REGIONS)."""
    folded, found = _fold(query), []
    for pattern, names, places in REGIONS:
        spans = list(pattern.finditer(folded.lower()))
        if spans:
            found.append(f"{names} {places}")
        for match in reversed(spans):
            folded = folded[: match.start()] + " " + folded[match.end() :]
    return folded, found


@lru_cache(maxsize=16)
def _region_terms(places: str) -> tuple[str, ...]:
    """One group for a region: a passage naming it or any of its places matches it, once."""
    words = [word for word, _ in _tokens(places) if word not in _QUERY_STOP_WORDS]
    return tuple(dict.fromkeys(term for word in words for term in (_term(word, "fr"), _term(word, "en"), word)))


class KeywordIndex:
    """Okapi BM25 over inverted postings, built once; a search touches only documents holding a query term."""

    def __init__(
        self,
        ids: Sequence[str],
        texts: Sequence[str],
        languages: Sequence[str],
        translations: Sequence[str] | None = None,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        """`translations`: each text in the other language (or ""), indexed with it, so that a question
        matches the words of a passage written in the other language."""
        translations = translations or [""] * len(ids)
        if not len(ids) == len(texts) == len(languages) == len(translations):
            raise ValueError("ids, texts, languages and translations must have the same length")
        self._ids = list(ids)
        postings: dict[str, tuple[list[int], list[int]]] = {}
        lengths = np.zeros(len(self._ids), dtype=np.float32)
        for doc, (text, language, translation) in enumerate(zip(texts, languages, translations, strict=True)):
            counts = Counter(analyze(text, language))
            if translation:
                counts.update(analyze(translation, other_language(language)))
            lengths[doc] = sum(counts.values())
            for term, tf in counts.items():
                docs, tfs = postings.setdefault(term, ([], []))
                docs.append(doc)
                tfs.append(tf)
        average = float(lengths.mean()) if len(lengths) and lengths.mean() > 0 else 1.0
        norm = k1 * (1 - b + b * lengths / average)
        # Each posting stores its final BM25 contribution (idf included): a search only adds.
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (docs, tfs) in postings.items():
            where, freq = np.array(docs, dtype=np.int32), np.array(tfs, dtype=np.float32)
            idf = math.log(1 + (len(self._ids) - len(docs) + 0.5) / (len(docs) + 0.5))
            self._postings[term] = (where, (idf * freq * (k1 + 1) / (freq + norm[where])).astype(np.float32))

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, k: int, language: str | None = None) -> list[tuple[str, float]]:
        """Best `k` (id, BM25 score) with score > 0, best first (ties: index order).

        The query is analysed in both French and English; `language` (the question's) is accepted for
        symmetry with dense search but deliberately not used to filter: cross-language hits are the point.
        """
        if k <= 0 or not self._ids:
            return []
        scores = np.zeros(len(self._ids), dtype=np.float32)
        for group in query_groups(query):
            hits = [self._postings[term] for term in group if term in self._postings]
            if len(hits) == 1:
                where, weight = hits[0]
                boost = _IDENTIFIER_BOOST if any(c.isdigit() for c in group[0]) else 1.0
                scores[where] += boost * weight  # doc indices are unique within a posting
            elif hits:  # several stems of one word (never a number): the best one counts, once
                best = np.zeros(len(self._ids), dtype=np.float32)
                for where, weight in hits:
                    best[where] = np.maximum(best[where], weight)
                scores += best
        found = np.flatnonzero(scores > 0)
        if len(found) > k:
            found = found[np.argpartition(-scores[found], k - 1)[:k]]
        found = found[np.lexsort((found, -scores[found]))]
        return [(self._ids[i], float(scores[i])) for i in found]
