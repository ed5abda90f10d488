"""HTML → text with the structure kept: `#` headings, `- ` list items, blank-line paragraphs.

Page chrome that HTML marks as such (nav, header, footer, aside, scripts, forms) is dropped
here, before line-level cleaning sees the text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "table",
    "tr",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "dl",
    "dd",
    "dt",
    "figure",
    "figcaption",
    "body",
    "br",
    "hr",
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source", "wbr"}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.title = ""
        self._current: list[str] = []
        self._prefix = ""
        self._skip_depth = 0
        self._in_title = False

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", "".join(self._current)).strip()
        if text:
            self.blocks.append(self._prefix + text)
        self._current = []
        self._prefix = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip_depth or tag in _SKIPPED:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if tag == "title":
            self._in_title = True
        elif tag in _HEADINGS:
            self._flush()
            self._prefix = "#" * _HEADINGS[tag] + " "
        elif tag == "li":
            self._flush()
            self._prefix = "- "
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip_depth:
            if tag not in _VOID:
                self._skip_depth -= 1
            return
        if tag == "title":
            self._in_title = False
        elif tag in _HEADINGS or tag == "li" or tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title += data
        else:
            self._current.append(data)


def html_to_text(html: str) -> tuple[str, str]:
    """Return (title, text) of an HTML page; the title is the page's <title>, or ''."""
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    parser._flush()
    # Consecutive list items stay on adjacent lines so that they read as one list.
    out: list[str] = []
    for block in parser.blocks:
        if out and block.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return " ".join(parser.title.split()), "\n\n".join(out) + "\n"
