"""Blocks → chunks sized for the embedding model, never crossing a section.

Within a section, paragraphs and lists are packed until `target_tokens`, never past
`max_tokens`. A list travels with the sentence that introduces it; a list too long for one
chunk is split between items and each part repeats that sentence. A paragraph too long is
split between sentences. When a section continues in a new chunk, the previous chunk's
last sentence is repeated if it is short (the overlap).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise

from assistant.schema import Chunk, Source
from assistant.settings import ChunkingSettings
from assistant.text import normalize_spaces, sentence_spans
from ingest.outline import Block

TokenCounter = Callable[[str], int]


@dataclass(frozen=True)
class Span:
    """A stretch of the original text: a paragraph, a sentence or a list item."""

    start: int
    end: int


@dataclass
class _Unit:
    spans: list[Span]
    lead: Span | None = None  # the sentence introducing a list, repeated if the list is split
    is_list: bool = False


class Chunker:
    def __init__(self, settings: ChunkingSettings, count_tokens: TokenCounter) -> None:
        self.settings = settings
        self.count_tokens = count_tokens

    def chunk(self, source: Source, text: str, blocks: list[Block]) -> list[Chunk]:
        chunks: list[Chunk] = []
        for section, section_blocks in _by_section(blocks):
            for spans in self._pack(text, self._units(text, section_blocks)):
                chunks.append(self._make_chunk(source, text, section, len(chunks), spans))
        return chunks

    def _tokens(self, text: str, spans: list[Span]) -> int:
        return self.count_tokens("\n".join(_normalized(text, s) for s in spans))

    def _units(self, text: str, blocks: list[Block]) -> list[_Unit]:
        units: list[_Unit] = []
        for block in blocks:
            if block.kind == "list":
                items = [Span(item[0].start, item[-1].end) for item in block.items()]
                lead = None
                if units and _is_single_paragraph(units[-1]):
                    # The last sentence before a list introduces it; the rest of its paragraph stands alone.
                    paragraph = units.pop().spans[0]
                    sentences = self._sentences(text, paragraph)
                    lead = sentences[-1]
                    if len(sentences) > 1:
                        units.append(_Unit([Span(paragraph.start, sentences[-2].end)]))
                units.extend(self._split_list(text, lead, items))
            else:
                span = Span(block.lines[0].start, block.lines[-1].end)
                if self._tokens(text, [span]) > self.settings.max_tokens:
                    units.extend(_Unit([s]) for s in self._sentences(text, span))
                else:
                    units.append(_Unit([span]))
        return units

    def _split_list(self, text: str, lead: Span | None, items: list[Span]) -> list[_Unit]:
        budget = self.settings.max_tokens - (self._tokens(text, [lead]) if lead else 0)
        units: list[_Unit] = []
        group: list[Span] = []
        for item in items:
            if group and self._tokens(text, [*group, item]) > budget:
                units.append(_Unit(group, lead, is_list=True))
                group = []
            group.append(item)
        units.append(_Unit(group, lead, is_list=True))
        return units

    def _sentences(self, text: str, span: Span) -> list[Span]:
        """Split a paragraph between sentences; a sentence still too long is cut between words."""
        spans: list[Span] = []
        for a, b in sentence_spans(text[span.start : span.end]):
            sentence = Span(span.start + a, span.start + b)
            if self._tokens(text, [sentence]) <= self.settings.max_tokens:
                spans.append(sentence)
            else:
                spans.extend(self._words(text, sentence))
        return spans

    def _words(self, text: str, span: Span) -> Iterator[Span]:
        start = span.start
        for word in re.finditer(r"\S+", text[span.start : span.end]):
            end = span.start + word.end()
            if self._tokens(text, [Span(start, end)]) > self.settings.max_tokens:
                cut = span.start + word.start()
                yield Span(start, cut)
                start = cut
        yield Span(start, span.end)

    def _pack(self, text: str, units: list[_Unit]) -> Iterator[list[Span]]:
        sizes = [self._tokens(text, u.spans) for u in units]
        current: list[Span] = []
        for i, unit in enumerate(units):
            spans = ([unit.lead] if unit.lead and unit.lead not in current else []) + unit.spans
            if current and self._tokens(text, current + spans) > self.settings.max_tokens:
                yield current
                current = self._carry(text, current, units[i - 1], unit)
                spans = ([unit.lead] if unit.lead else []) + unit.spans
            current += spans
            # Stop at the target size unless what is left of the section is too short to stand alone.
            rest = sum(sizes[i + 1 :])
            if (
                i + 1 < len(units)
                and self._tokens(text, current) >= self.settings.target_tokens
                and rest >= self.settings.target_tokens // 2
            ):
                yield current
                current = self._carry(text, current, unit, units[i + 1])
        if current:
            yield current

    def _carry(self, text: str, spans: list[Span], last_unit: _Unit, next_unit: _Unit) -> list[Span]:
        """The overlap: a paragraph's last sentence starts the next chunk when short enough."""
        if last_unit.is_list or next_unit.lead or not self.settings.overlap_tokens:
            return []
        last = self._sentences(text, spans[-1])[-1]
        return [last] if self._tokens(text, [last]) <= self.settings.overlap_tokens else []

    def _make_chunk(
        self, source: Source, text: str, section: tuple[str, ...], position: int, spans: list[Span]
    ) -> Chunk:
        original = text[spans[0].start : spans[0].end]
        indexed = _normalized(text, spans[0])
        for before, after in pairwise(spans):
            gap = text[before.end : after.start]
            contiguous = gap.isspace() or not gap
            # Sentences of one paragraph stay on one line; blocks and list items get their own.
            original += gap if contiguous else "\n\n"
            original += text[after.start : after.end]
            indexed += (" " if contiguous and "\n" not in gap else "\n") + _normalized(text, after)
        return Chunk(
            source=source,
            section=section,
            position=position,
            start=spans[0].start,
            end=spans[-1].end,
            text=indexed,
            original=original,
        )


def _normalized(text: str, span: Span) -> str:
    lines = (normalize_spaces(line) for line in text[span.start : span.end].split("\n"))
    return "\n".join(line for line in lines if line)


def _is_single_paragraph(unit: _Unit) -> bool:
    return unit.lead is None and len(unit.spans) == 1


def _by_section(blocks: list[Block]) -> Iterator[tuple[tuple[str, ...], list[Block]]]:
    current: list[Block] = []
    for block in blocks:
        if current and block.section != current[0].section:
            yield current[0].section, current
            current = []
        current.append(block)
    if current:
        yield current[0].section, current
