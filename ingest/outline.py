"""Cleaned lines → blocks (headings, paragraphs, lists), each block with its section path.

Markdown and HTML say what a heading is and its level. Plain text does not, so a heading is
inferred: a short line standing alone, without closing punctuation, that does not introduce
a list. Its level follows three rules, checked on both shipped texts:
- headings that follow one another nest ("Offices" then "Brussels");
- a run of several headings after body text opens a new top-level part;
- a single heading after body text is a sibling of the current one, except that a *label*
  (a name such as "InterAging" or "Washington, DC") under a phrase heading ("The thematic
  programmes") becomes its child, and a phrase heading after labels closes them.
A heading equal to the document's title is the title, not a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.lexicon import SMALL_WORDS
from assistant.text import fold, normalize_spaces
from ingest.clean import Line

BULLET = re.compile(r"^\s*([•◦▪▫‣∙·*+\-–—]|\d{1,3}[.)]|[a-z][.)])\s+")
_MARKED_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_CLOSING = tuple(".,;:!?…")


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "list"
    lines: list[Line]
    level: int = 0
    section: tuple[str, ...] = field(default=())

    @property
    def text(self) -> str:
        """The block's text on one line, spaces normalised."""
        return normalize_spaces(" ".join(line.text for line in self.lines))

    def items(self) -> list[list[Line]]:
        """A list's items: each bullet line with the indented lines that continue it."""
        items: list[list[Line]] = []
        for line in self.lines:
            if BULLET.match(line.text) and (not items or _indent(line) <= _indent(items[-1][0])):
                items.append([line])
            else:
                items[-1].append(line)
        return items


def _indent(line: Line) -> int:
    return len(line.text) - len(line.text.lstrip())


def outline(lines: list[Line], title: str, marked_headings: bool) -> list[Block]:
    """Body blocks (paragraphs and lists) in order, each with its section path."""
    blocks = _blocks(lines, marked_headings)
    title_key = fold(title)
    if not marked_headings:
        _infer_headings(blocks, title_key)
    stack: list[tuple[int, str]] = []
    body: list[Block] = []
    for block in blocks:
        if block.kind == "heading":
            if fold(block.text) == title_key:
                continue
            stack = [entry for entry in stack if entry[0] < block.level] + [(block.level, block.text)]
        else:
            block.section = tuple(text for _, text in stack)
            body.append(block)
    return body


def _blocks(lines: list[Line], marked_headings: bool) -> list[Block]:
    """Group lines into blocks: blank lines separate them, bullets start lists."""
    blocks: list[Block] = []
    current: Block | None = None
    for line in lines:
        stripped = line.text.strip()
        heading = _MARKED_HEADING.match(stripped) if marked_headings else None
        if not stripped:
            current = None
        elif heading:
            text_start = line.start + line.text.index(heading.group(2))
            clean = Line(heading.group(2), text_start, text_start + len(heading.group(2)))
            blocks.append(Block("heading", [clean], level=len(heading.group(1))))
            current = None
        elif BULLET.match(line.text):
            if current is None or current.kind != "list":
                current = Block("list", [])
                blocks.append(current)
            current.lines.append(line)
        elif current is not None and current.kind == "list" and _indent(line) > 0:
            current.lines.append(line)  # an indented line continues the list item
        elif current is not None and current.kind == "paragraph":
            current.lines.append(line)
        else:
            current = Block("paragraph", [line])
            blocks.append(current)
    return blocks


def _looks_like_heading(block: Block, following: Block | None) -> bool:
    text = block.text
    return (
        block.kind == "paragraph"
        and len(block.lines) == 1
        and len(text) <= 120
        and len(text.split()) <= 15
        and not text.endswith(_CLOSING)
        and (text[0].isupper() or text[0].isdigit())
        and not (following is not None and following.kind == "list")
    )


def _is_label(heading: str) -> bool:
    """A name rather than a phrase: every significant word is capitalised."""
    words = re.findall(r"[^\W\d_][\w’'-]*", re.sub(r"\(.*?\)", "", heading))
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    return len(words) == 1 or all(w[0].isupper() for w in significant)


def _infer_headings(blocks: list[Block], title_key: str) -> None:
    for i, block in enumerate(blocks):
        if _looks_like_heading(block, blocks[i + 1] if i + 1 < len(blocks) else None):
            block.kind = "heading"
    stack: list[bool] = []  # is_label of each open heading, outermost first
    previous_is_heading = False
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            previous_is_heading = False
            continue
        if fold(block.text) == title_key:
            continue
        label = _is_label(block.text)
        next_is_heading = i + 1 < len(blocks) and blocks[i + 1].kind == "heading"
        if previous_is_heading:
            stack.append(label)
        elif next_is_heading:
            stack = [label]
        elif label:
            if stack and stack[-1]:
                stack[-1] = label
            else:
                stack.append(label)
        else:
            while stack and stack[-1]:
                stack.pop()
            stack = [*stack[:-1], label]
        block.level = len(stack)
        previous_is_heading = True
