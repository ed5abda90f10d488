"""Answers and conversations as Markdown, to copy or download, and the buttons that do it in the browser.

The Markdown is built on the server from the same data the page shows (the checked answer, its
numbered sources with links that land on the cited sentence) and rides in a `data-markdown`
attribute of the button (HTML-escaped), so copying or downloading needs no round trip.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ui import render

COPY = {"en": "Copy as Markdown", "fr": "Copier en Markdown"}
COPIED = {"en": "Copied ✓", "fr": "Copié ✓"}
DOWNLOAD = {"en": "Download the conversation (.md)", "fr": "Télécharger la conversation (.md)"}
TITLE = {
    "en": "Conversation with the Inserm international assistant",
    "fr": "Conversation avec l’assistant Inserm international",
}
FILENAME = "conversation.md"
_LINK_TEXT_SPECIALS = re.compile(r"([\\\[\]])")

# Runs once when the sources panel loads (gr.HTML's js_on_load); one listener serves every button the
# panel will ever hold, since the panel's content is replaced after each answer.
ACTIONS_JS = """
element.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-markdown]');
  if (!button) return;
  const text = button.dataset.markdown;
  if (button.dataset.action === 'download') {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], {type: 'text/markdown;charset=utf-8'}));
    link.download = button.dataset.filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    return;
  }
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {  // no clipboard permission (e.g. a frame without allow="clipboard-write")
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = button.dataset.done;
});
"""


def answer_markdown(turn: render.TurnSources) -> str:
    """The answer, then its numbered sources, each linked to the cited sentence on its page."""
    lines = [turn.answer_text.strip(), ""]
    heading = (render.SEE_ALSO_HEADING if turn.abstained else render.SOURCES_HEADING)[turn.language]
    if turn.citations:
        lines += [f"{heading} :" if turn.language == "fr" else f"{heading}:", ""]
    for citation in turn.citations:
        p = citation.passage
        name = _link_text(" › ".join(part for part in (p.title or p.source_id, p.section) if part))
        url = render.card_url(turn, citation)
        lines.append(f"- [{citation.n}] " + (f"[{name}]({url})" if url else name) + f" ({p.language.upper()})")
    return "\n".join(lines).strip() + "\n"


def conversation_markdown(turns: Sequence[render.TurnSources]) -> str:
    language = turns[-1].language if turns else "en"
    parts = [f"# {TITLE[language]}\n"]
    for turn in turns:
        parts.append(f"## {turn.question}\n\n{answer_markdown(turn)}")
    return "\n".join(parts)


def copy_button(turn: render.TurnSources) -> str:
    return _button(answer_markdown(turn), COPY[turn.language], 'data-action="copy"', COPIED[turn.language])


def download_button(turns: Sequence[render.TurnSources]) -> str:
    text = conversation_markdown(turns)
    return _button(text, DOWNLOAD[turns[-1].language], f'data-action="download" data-filename="{FILENAME}"', "")


def _button(markdown: str, label: str, attributes: str, done: str) -> str:
    return (
        f'<button type="button" class="md-action" {attributes} data-done="{html.escape(done)}" '
        f'data-markdown="{html.escape(markdown)}">{html.escape(label)}</button>'
    )


def _link_text(text: str) -> str:
    return _LINK_TEXT_SPECIALS.sub(r"\\\1", text)
