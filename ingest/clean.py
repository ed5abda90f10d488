"""Line-level cleaning: site chrome out, content in, offsets kept.

Three general rules, all configurable (`CleaningSettings`): a line that matches a known UI
phrase, a line made only of UI words, a short line repeated across the run's documents.
Lines without a single letter are not content either. A removed line becomes a blank line,
so paragraphs stay apart and every kept line keeps its offsets into the original text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from assistant.settings import CleaningSettings
from assistant.text import fold


@dataclass(frozen=True)
class Line:
    text: str
    start: int
    end: int


def split_lines(text: str) -> list[Line]:
    lines, start = [], 0
    for raw in text.split("\n"):
        content = raw.rstrip("\r")
        lines.append(Line(content, start, start + len(content)))
        start += len(raw) + 1
    return lines


class Cleaner:
    """Applies the cleaning rules; `repeated` is computed over all documents of a run."""

    def __init__(self, settings: CleaningSettings, texts: Iterable[str] = ()) -> None:
        self.settings = settings
        self.repeated = self._repeated_lines(list(texts))

    @cached_property
    def _patterns(self) -> list[re.Pattern[str]]:
        return [re.compile(p) for p in self.settings.ui_patterns]

    @cached_property
    def _ui_words(self) -> set[str]:
        return {fold(w) for w in self.settings.ui_words}

    def _repeated_lines(self, texts: list[str]) -> set[str]:
        if len(texts) < 2:
            return set()
        seen: Counter[str] = Counter()
        for text in texts:
            seen.update({fold(line) for line in text.splitlines() if self._short(line)})
        needed = max(2, self.settings.repeated_line_share * len(texts))
        return {line for line, count in seen.items() if count >= needed}

    def _short(self, line: str) -> bool:
        return 0 < len(line.strip()) <= self.settings.repeated_line_max_chars

    def is_boilerplate(self, line: str) -> bool:
        folded = fold(line)
        if not folded:
            return False
        if not re.search(r"[^\W\d_]", folded):
            return True  # no letter at all: separators, page numbers, icons
        if any(p.search(folded) for p in self._patterns):
            return True
        words = re.findall(r"\w+", folded)
        if words and all(w in self._ui_words for w in words):
            return True
        return folded in self.repeated

    def clean(self, text: str) -> list[Line]:
        """All lines of `text`, with boilerplate lines blanked."""
        return [
            Line("", line.start, line.start) if self.is_boilerplate(line.text) else line for line in split_lines(text)
        ]
