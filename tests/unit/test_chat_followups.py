"""What the chat adds after an answer: suggested follow-ups, "Searched for", and the answer as Markdown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.answering.chain import Event, Final, Sources
from assistant.answering.conversation import Message
from assistant.schema import Answer, Citation, Passage
from ui import render, transcript
from ui.chat import ChatHandlers
from ui.feedback import FeedbackStore
from ui.service import BusyError

TEXT = "L’Europe est un horizon. L’Inserm participe à 212 projets Horizon Europe et en coordonne 97. Fin."
PASSAGE = Passage(
    id="p1",
    source_id="fr",
    title="Inserm [monde]",
    section="Europe",
    url="https://pro.inserm.fr/p",
    language="fr",
    text=TEXT,
    original=TEXT,
    score=0.1,
    similarity=0.9,
)


class FollowUpService:
    """Answers every question with the 97 projects, searches `query`, suggests `suggestions` (or fails)."""

    def __init__(self, query: str | None = None, suggestions: list[str] | None = None, busy: bool = False) -> None:
        self.query = query
        self.suggestions = suggestions or []
        self.busy = busy
        self.suggested_for: list[tuple[str, list[str]]] = []

    def validate(self, question: str) -> str:
        return question

    def stream(self, question: str, history: list[Message], language: Any) -> Iterator[Event]:
        answer = Answer(
            question, "fr", "L’Inserm coordonne 97 projets [1].", False, "extractive", [Citation(1, PASSAGE)]
        )
        yield Sources([Citation(1, PASSAGE)])
        yield Final(answer, self.query or question)

    def suggest(self, answer: Answer, asked: list[str]) -> list[str]:
        if self.busy:
            raise BusyError("Too many questions are waiting: try again in a minute.")
        self.suggested_for.append((answer.question, asked))
        return self.suggestions


def ask(handlers: ChatHandlers, question: str, chat: list[Any], turns: list[Any]) -> tuple[list[Any], list[Any]]:
    *_, (chat, _, _, turns, _) = handlers.respond(question, "auto", chat, turns)
    return chat, turns


def test_suggestions_show_as_buttons_under_the_latest_answer(tmp_path: Path) -> None:
    service = FollowUpService(suggestions=["Qu’en est-il de « Asie » ?", "Qu’en est-il de « Afrique » ?"])
    handlers = ChatHandlers(service, FeedbackStore(tmp_path / "f.sqlite3"))
    chat, turns = ask(handlers, "Combien de projets ?", [], [])
    chat, turns = ask(handlers, "Et en Asie ?", chat, turns)
    group, label, *buttons = handlers.suggest(turns)
    assert group["visible"] is True and "Vous pourriez aussi demander" in label
    assert [(b["value"], b["visible"]) for b in buttons[:2]] == [
        ("Qu’en est-il de « Asie » ?", True),
        ("Qu’en est-il de « Afrique » ?", True),
    ]
    assert buttons[2]["visible"] is False
    assert service.suggested_for == [("Et en Asie ?", ["Combien de projets ?", "Et en Asie ?"])]


def test_no_suggestions_or_a_busy_service_hide_them(tmp_path: Path) -> None:
    for service in (FollowUpService(), FollowUpService(suggestions=["Q ?"], busy=True)):
        handlers = ChatHandlers(service, FeedbackStore(tmp_path / "f.sqlite3"))
        _, turns = ask(handlers, "Combien de projets ?", [], [])
        group, _, *buttons = handlers.suggest(turns)
        assert group["visible"] is False and all(b["visible"] is False for b in buttons)
    assert handlers.suggest([])[0]["visible"] is False


def test_a_rewritten_follow_up_shows_what_was_searched_folded(tmp_path: Path) -> None:
    handlers = ChatHandlers(
        FollowUpService(query="Combien de projets Horizon Europe <b>coordonne</b> l’Inserm ?"),
        FeedbackStore(tmp_path / "f.sqlite3"),
    )
    chat, turns = ask(handlers, "Et combien en coordonne-t-il ?", [], [])
    assert turns[0].query.startswith("Combien de projets Horizon Europe")
    message = chat[-1]["content"]
    assert '<details class="searched-for"><summary>Recherche effectuée</summary>' in message
    assert "&lt;b&gt;coordonne&lt;/b&gt;" in message and "<b>" not in message
    # A question searched as it was asked shows nothing more.
    same = ChatHandlers(FollowUpService(), FeedbackStore(tmp_path / "f.sqlite3"))
    chat, _ = ask(same, "Combien de projets ?", [], [])
    assert "searched-for" not in chat[-1]["content"]


def test_an_answer_copies_as_markdown_with_its_numbered_sources(tmp_path: Path) -> None:
    handlers = ChatHandlers(FollowUpService(), FeedbackStore(tmp_path / "f.sqlite3"))
    chat, turns = ask(handlers, "Combien de projets ?", [], [])
    chat, turns = ask(handlers, "Et en <Europe> ?", chat, turns)
    *_, (_, panel, _, _, _) = handlers.respond("Encore ?", "auto", chat, turns)
    copies = re.findall(r'data-action="copy" data-done="[^"]*" data-markdown="([^"]*)"', panel)
    assert len(copies) == 3
    link = render.link_to_sentence(
        "https://pro.inserm.fr/p", "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97."
    )
    assert html.unescape(copies[0]) == (
        f"L’Inserm coordonne 97 projets [1].\n\nSources :\n\n- [1] [Inserm \\[monde\\] › Europe]({link}) (FR)\n"
    )
    download = html.unescape(re.findall(r'data-action="download"[^>]*data-markdown="([^"]*)"', panel)[0])
    assert download.startswith("# Conversation avec l’assistant Inserm international\n\n## Combien de projets ?\n")
    assert download.count("## ") == 3 and "## Et en <Europe> ?" in download
    assert download.count("- [1] [Inserm") == 3


def test_markdown_of_an_abstention_lists_its_see_also_sources() -> None:
    turn = render.TurnSources(1, "q", "I don't know.", [Citation(1, PASSAGE)], abstained=True, language="en")
    assert transcript.answer_markdown(turn) == (
        "I don't know.\n\nSee also:\n\n- [1] [Inserm \\[monde\\] › Europe](https://pro.inserm.fr/p) (FR)\n"
    )
