"""Translation memory: each quotable sentence of the corpus, translated once into the other language.

Ingest asks the chat model for the sentences the memory lacks and stores each chunk's translations
with it in the index. A question then costs no model call to search, choose and check across
languages (keyword search matches the translations), nor to quote a sentence written in the other
language: the answer's first words come at retrieval speed instead of after a generation.

Two files are read: `translations.json` in a corpus folder (shipped with it, so that a fresh
install does not spend minutes translating the bundled corpus) and `<data dir>/translations.json`,
the only one written. Entries are keyed by the target language, then by the sentence.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.answering.grounding import states_only
from assistant.language import other_language
from assistant.schema import Chunk
from assistant.text import bare, passage_units

FILE_NAME = "translations.json"


@dataclass(frozen=True)
class Translator:
    name: str  # part of the ingest run's fingerprint: another model translates differently
    # (sentence, target language) → the sentence in that language, or None when the model cannot be reached.
    translate: Callable[[str, str], str | None]
    progress: Callable[[int, int], None] | None = None


class TranslationMemory:
    def __init__(self, path: Path, seeds: Iterable[Path] = ()) -> None:
        self.path = path  # where new translations are written
        self.entries: dict[str, dict[str, str]] = {}
        for file in [*seeds, path]:
            for language, pairs in _read(file).items():
                self.entries.setdefault(language, {}).update(pairs)
        # Only this folder's own translations are written back: a copy of the shipped ones would hide
        # their corrections in a later version of the corpus.
        self.own = _read(path)
        self.added = 0

    def get(self, sentence: str, language: str) -> str | None:
        return self.entries.get(language, {}).get(sentence)

    def add(self, sentence: str, language: str, translation: str) -> None:
        self.entries.setdefault(language, {})[sentence] = translation
        self.own.setdefault(language, {})[sentence] = translation
        self.added += 1

    def save(self) -> None:
        """Written whole to a temporary file, then renamed: a crash leaves the previous memory."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(self.own, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(partial, self.path)


def _read(file: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # absent, or damaged: its sentences are translated again
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(language): {str(k): str(v) for k, v in pairs.items()}
        for language, pairs in data.items()
        if isinstance(pairs, dict)
    }


def translate_chunks(chunks: Sequence[Chunk], memory: TranslationMemory, translator: Translator | None) -> list[Chunk]:
    """The chunks with their sentences' translations; those the memory lacks are asked of `translator`
    (none, or unreachable: they stay untranslated, and an answer quotes them in their language)."""
    wanted = [([bare(u) for u in passage_units(c.original)], other_language(c.source.language)) for c in chunks]
    missing = list(dict.fromkeys((s, lang) for units, lang in wanted for s in units if memory.get(s, lang) is None))
    if translator is not None and missing:
        _translate(missing, memory, translator)
    return [
        replace(chunk, translations=quotable(units, memory, language))
        for chunk, (units, language) in zip(chunks, wanted, strict=True)
    ]


def quotable(sentences: Iterable[str], memory: TranslationMemory, language: str) -> tuple[tuple[str, str], ...]:
    """(sentence, translation into `language`) for each of the (`bare`) sentences the memory translates. A
    translation that states a figure or name its sentence lacks ("une trentaine" → "a dozen") is left out:
    the answer quotes the original instead."""
    pairs = ((s, memory.get(s, language)) for s in sentences)
    return tuple((s, t) for s, t in pairs if t and states_only(t, s))


def shipped(paths: Iterable[Path]) -> list[Path]:
    """The memory files shipped with the corpus folders (or files) given to ingest, one per folder."""
    return [(p if p.is_dir() else p.parent) / FILE_NAME for p in paths]


def _translate(missing: list[tuple[str, str]], memory: TranslationMemory, translator: Translator) -> None:
    for done, (sentence, language) in enumerate(missing, start=1):
        translation = translator.translate(sentence, language)
        if translation is None:
            break
        memory.add(sentence, language, translation)
        if translator.progress:
            translator.progress(done, len(missing))
        if done % 10 == 0:
            memory.save()  # a run stopped here keeps what it translated
    if memory.added:
        memory.save()
