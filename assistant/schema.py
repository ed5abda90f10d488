"""The domain's data: a chunk of a source text, as indexed and as cited."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.text import passage_units, under_heading

SECTION_SEPARATOR = " › "


def chunk_id(source_id: str, text: str) -> str:
    """Deterministic id: the same content of the same source always gets the same id."""
    return hashlib.sha256(f"{source_id}\n{text}".encode()).hexdigest()[:32]


def innermost_heading(section: str) -> str:
    """The heading a passage sits right under ("InterAging"): what a sentence such as "Sa coordination est
    assurée par Éric Gilson" is about."""
    return section.split(SECTION_SEPARATOR)[-1]


@dataclass(frozen=True)
class Source:
    """One document of the corpus, as described by the manifest or by the file itself."""

    id: str
    title: str
    url: str
    language: str
    date: str
    path: str


@dataclass(frozen=True)
class Chunk:
    """A passage of a source: `text` is normalised for indexing, `original` is shown in citations."""

    source: Source
    section: tuple[str, ...]
    position: int
    start: int
    end: int
    text: str
    original: str
    # (sentence, its translation into the other language) for each sentence the translation memory has.
    translations: tuple[tuple[str, str], ...] = ()
    id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", chunk_id(self.source.id, self.text))

    @property
    def section_path(self) -> str:
        return SECTION_SEPARATOR.join(self.section)

    @property
    def indexed_text(self) -> str:
        """What is embedded and keyword-indexed: the headings give the passage its context."""
        return f"{self.section_path}\n{self.text}" if self.section else self.text

    def sentences(self) -> list[Sentence]:
        """Its quotable units, each read under its innermost heading as the extractive responder reads them."""
        heading = innermost_heading(self.section_path)
        return [
            Sentence(self.id, position, under_heading(heading, unit))
            for position, unit in enumerate(passage_units(self.original))
        ]

    def metadata(self) -> dict[str, str | int]:
        metadata: dict[str, str | int] = {
            "source_id": self.source.id,
            "title": self.source.title,
            "url": self.source.url,
            "language": self.source.language,
            "date": self.source.date,
            "path": self.source.path,
            "section": self.section_path,
            "position": self.position,
            "start": self.start,
            "end": self.end,
            "original": self.original,
            "sentences": len(passage_units(self.original)),  # their ids: `<chunk id>#0` on
        }
        if self.translations:
            metadata["translations"] = json.dumps(dict(self.translations), ensure_ascii=False)
        return metadata


@dataclass(frozen=True)
class Sentence:
    """One quotable unit of a chunk, stored next to it: a short question is closer to the one sentence that
    answers it than to a whole passage."""

    chunk_id: str
    position: int  # among the chunk's units
    indexed_text: str  # what is embedded: the unit read under the chunk's innermost heading

    @property
    def id(self) -> str:
        return f"{self.chunk_id}#{self.position}"

    def metadata(self) -> dict[str, str | int]:
        return {"chunk": self.chunk_id}


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk, as the responder sees it and as a citation shows it."""

    id: str
    source_id: str
    title: str
    section: str
    url: str
    language: str
    text: str  # normalised passage, what the responder reads
    original: str  # the passage as in the source, what the user is shown
    score: float  # fused retrieval score
    similarity: float  # cosine with the question (dense), used by the abstention guard
    # Its sentences in the other language (`bare` sentence → translation), from the translation memory.
    translations: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def heading(self) -> str:
        return self.section or self.title

    @property
    def topic(self) -> str:
        return innermost_heading(self.section)

    @property
    def in_both_languages(self) -> list[str]:
        """Its heading, its text and its sentences' translations: what it names, in either language."""
        return [self.topic, self.text, *self.translations.values()]


@dataclass(frozen=True)
class Citation:
    n: int
    passage: Passage

    def to_json(self) -> dict[str, object]:
        p = self.passage
        return {
            "n": self.n,
            "source_id": p.source_id,
            "title": p.title,
            "section": p.section,
            "url": p.url,
            "language": p.language,
            "text": p.original,
            "score": round(p.score, 4),
        }


@dataclass
class Answer:
    question: str
    language: str
    text: str
    abstained: bool
    responder: str
    citations: list[Citation] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Why the sources are quoted instead of the responder's draft ("llm_unavailable", "ungrounded",
    # "empty_draft"), for the metrics; "" when they are not. Not in the JSON: the warnings say it to users.
    fallback: str = ""

    def to_json(self) -> dict[str, object]:
        """The contract shared by `python -m assistant ask --json`, the evals and the HTTP API."""
        return {
            "question": self.question,
            "language": self.language,
            "answer": self.text,
            "abstained": self.abstained,
            "responder": self.responder,
            "citations": [c.to_json() for c in self.citations],
            "timings_ms": {k: round(v, 1) for k, v in self.timings_ms.items()},
            "warnings": self.warnings,
        }


def read_translations(metadata: Mapping[str, object]) -> dict[str, str]:
    """A chunk's translations as stored in its metadata (`Chunk.metadata`)."""
    stored = metadata.get("translations")
    return {str(k): str(v) for k, v in json.loads(stored).items()} if isinstance(stored, str) and stored else {}
