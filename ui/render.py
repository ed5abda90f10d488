"""HTML for the chat: every piece of user text and model output goes through `escape` here.

The chat shows messages as Markdown, so text is escaped twice over: HTML entities (a
`<script>` shows as text) and Markdown punctuation (a model cannot make a `[link](…)`).
The only links an answer can hold are its `[n]` markers, and only for the passages it cites;
the only external links are the cited sources' own http(s) URLs, with a text fragment
(`#:~:text=…`) that scrolls the source page to the cited sentence and highlights it.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from assistant.answering.grounding import MARKER
from assistant.schema import Answer, Citation, Passage
from assistant.text import fold, sentence_spans

# Markdown's punctuation, plus what would start a link (":" of https://, "@" of an e-mail) or maths ("$").
# Not "&;<>": `html.escape` has already turned those into entities, which must stay intact.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:@$=\"'])")
_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    {
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "are",
        "was",
        "has",
        "have",
        "its",
        "from",
        "which",
        "des",
        "les",
        "une",
        "est",
        "dans",
        "pour",
        "par",
        "sur",
        "qui",
        "que",
        "aux",
        "avec",
        "son",
        "ses",
        "ont",
        "été",
        "sont",
        "plus",
    }
)
# The characters a text directive may hold as they are (WICG scroll-to-text-fragment, TextDirectiveExplicitChar);
# everything else is percent-encoded, notably "-", "," and "&", which separate the directive's parts.
_FRAGMENT_SAFE = frozenset(string.ascii_letters + string.digits + "!$'()*+./:;=?@_~")
_FRAGMENT_WORDS = 4  # words of a long sentence's start and of its end; a sentence of up to twice as many goes whole
_EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")  # list bullets and the like, which pages draw without text
LANGUAGE_NAMES = {"fr": "FR", "en": "EN"}
SOURCES_HEADING = {"en": "Sources", "fr": "Sources"}
SEE_ALSO_HEADING = {"en": "See also", "fr": "Voir aussi"}
SEARCHED_FOR = {"en": "Searched for", "fr": "Recherche effectuée"}


def escape(text: str) -> str:
    """`text` shown literally, whether read as HTML or as Markdown."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))


def anchor(turn: int, n: int) -> str:
    return f"src-{turn}-{n}"


def safe_url(url: str) -> str:
    """The URL if it is http(s), else nothing: a source's URL must not run script."""
    return url if re.match(r"https?://", url, re.IGNORECASE) else ""


def encode_fragment_text(text: str) -> str:
    """`text` percent-encoded as a text directive's textStart or textEnd (UTF-8, upper-case hex)."""
    return "".join(c if c in _FRAGMENT_SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


def text_fragment(sentence: str) -> str:
    """The text directive (`text=start,end`) that selects `sentence` on its page, or "" if it has no words.

    A short sentence is matched whole; a long one by its first and last words, which still match when
    the page differs a little inside the sentence (markup, spacing) and keep the URL short.
    """
    words = _EDGE_PUNCTUATION.sub("", " ".join(sentence.split())).split()
    if not words:
        return ""
    if len(words) <= 2 * _FRAGMENT_WORDS:
        return "text=" + encode_fragment_text(" ".join(words))
    start, end = " ".join(words[:_FRAGMENT_WORDS]), " ".join(words[-_FRAGMENT_WORDS:])
    return f"text={encode_fragment_text(start)},{encode_fragment_text(end)}"


def link_to_sentence(url: str, sentence: str) -> str:
    """`url` with a fragment directive that scrolls to `sentence` (after the URL's own fragment, if any)."""
    directive = text_fragment(sentence)
    if not directive:
        return url
    return f"{url}{':~:' if '#' in url else '#:~:'}{directive}"


def with_markers(text: str, turn: int, cited: set[int]) -> str:
    """Escaped `text` whose [n] markers link to the turn's source cards; unknown markers stay text."""
    pieces: list[str] = []
    last = 0
    for match in MARKER.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        n = int(match.group(1))
        marker = f"[{n}]"
        pieces.append(f' <a class="cite" href="#{anchor(turn, n)}">{marker}</a>' if n in cited else escape(marker))
        last = match.end()
    pieces.append(escape(text[last:]))
    return "".join(pieces)


def draft_message(draft: str, turn: int, citations: Sequence[Citation]) -> str:
    """The answer while it streams: it may still lose unsupported sentences when it is checked."""
    return with_markers(draft, turn, {c.n for c in citations}) + " ▍"


def answer_message(answer: Answer, turn: int, query: str = "") -> str:
    """The checked answer; when `query` (what was searched) differs from the question, it is shown folded."""
    body = with_markers(answer.text, turn, {c.n for c in answer.citations})
    notes = "".join(f'\n\n<span class="warning">⚠ {escape(w)}</span>' for w in answer.warnings)
    return body + notes + searched_for(answer.question, query, answer.language)


def searched_for(question: str, query: str, language: str) -> str:
    """A folded "Searched for: …" when a follow-up question was rewritten before retrieval, else nothing."""
    if not query or " ".join(query.split()) == " ".join(question.split()):
        return ""
    return (
        f'\n\n<details class="searched-for"><summary>{SEARCHED_FOR[language]}</summary>{html.escape(query)}</details>'
    )


def error_message(text: str) -> str:
    return f'<span class="error">⚠ {escape(text)}</span>'


@dataclass(frozen=True)
class TurnSources:
    """What the sources panel shows for one answered question."""

    turn: int
    question: str
    answer_text: str  # empty while the answer is being written
    citations: list[Citation]
    abstained: bool
    language: str


def sources_panel(
    turns: Sequence[TurnSources], actions: Callable[[TurnSources], str] | None = None, header: str = ""
) -> str:
    """Source cards, latest question first and open; earlier questions folded.

    `header` goes above them, and `actions(turn)` under each answered question's cards (buttons).
    """
    if not turns:
        return '<div class="sources-empty">Sources</div>'
    parts = []
    for position, turn in enumerate(reversed(turns)):
        heading = (SEE_ALSO_HEADING if turn.abstained else SOURCES_HEADING)[turn.language]
        cards = "".join(source_card(turn, c) for c in turn.citations) or '<p class="none">—</p>'
        buttons = actions(turn) if actions and turn.answer_text else ""
        parts.append(
            f'<details class="turn-sources" data-turn="{turn.turn}"{" open" if position == 0 else ""}>'
            f"<summary>{html.escape(heading)} · {html.escape(turn.question)}</summary>{cards}{buttons}</details>"
        )
    return '<div class="sources">' + header + "".join(parts) + "</div>"


def card_url(turn: TurnSources, citation: Citation) -> str:
    """The source's page, scrolled to the sentence the answer rests on when there is one; "" if not http(s)."""
    return _url_to(citation.passage, _cited_spans(turn, citation))


def _cited_spans(turn: TurnSources, citation: Citation) -> list[tuple[int, int]]:
    p = citation.passage
    return [] if turn.abstained else supporting_spans(turn.answer_text, citation.n, p.original, p.translations)


def _url_to(p: Passage, spans: Sequence[tuple[int, int]]) -> str:
    url = safe_url(p.url)
    return link_to_sentence(url, p.original[spans[0][0] : spans[0][1]]) if url and spans else url


def source_card(turn: TurnSources, citation: Citation) -> str:
    p = citation.passage
    spans = _cited_spans(turn, citation)
    url = _url_to(p, spans)
    title = html.escape(p.title or p.source_id)
    link = f'<a href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{title}</a>' if url else title
    badge = LANGUAGE_NAMES.get(p.language, html.escape(p.language.upper()))
    section = f'<div class="section">{html.escape(p.section)}</div>' if p.section else ""
    return (
        f'<article class="source-card" id="{anchor(turn.turn, citation.n)}">'
        f'<header><span class="n">[{citation.n}]</span> {link} '
        f'<span class="lang-badge" title="{html.escape(p.language)}">{badge}</span></header>'
        f"{section}<blockquote>{highlighted(p.original, spans)}</blockquote></article>"
    )


def highlighted(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Escaped `text` with the `spans` in <mark>; line breaks kept."""
    out, last = [], 0
    for start, end in sorted(spans):
        out += [html.escape(text[last:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out).replace("\n", "<br>")


def supporting_spans(
    answer_text: str, n: int, passage: str, translations: Mapping[str, str] | None = None
) -> list[tuple[int, int]]:
    """The passage sentences that the answer's sentences citing [n] rest on (best word overlap).

    A claim that is the translation memory's translation of one of them (`translations`: sentence →
    translation) is read as that sentence: the card highlights the original of a translated quote.
    """
    originals = {frozenset(_words(t)): _words(sentence) for sentence, t in (translations or {}).items()}
    # Lines first: an answer's list items are claims of their own, like a passage's.
    claims = [
        originals.get(frozenset(words), words)
        for line in answer_text.split("\n")
        for a, b in sentence_spans(line)
        if f"[{n}]" in line[a:b] and (words := _words(line[a:b]))
    ]
    sentences = [(a, b) for line_start, line in _lines(passage) for a, b in _offset(sentence_spans(line), line_start)]
    chosen: set[tuple[int, int]] = set()
    for claim in claims:
        if not claim:
            continue
        overlap, best = max(((len(claim & _words(passage[a:b])), (a, b)) for a, b in sentences), default=(0, None))
        if best is not None and overlap >= min(2, len(claim)):
            chosen.add(best)
    return sorted(chosen)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(fold(MARKER.sub("", text))) if (len(w) > 2 or w.isdigit()) and w not in _STOPWORDS}


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line with its offset: list items are sentences of their own."""
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def _offset(spans: Sequence[tuple[int, int]], by: int) -> list[tuple[int, int]]:
    return [(a + by, b + by) for a, b in spans]
