"""The chat's handlers, driven like Gradio drives them, with a scripted answering service."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.chain import Event, Final, Sources, Token
from assistant.errors import BadInputError, EmptyIndexError
from assistant.schema import Answer, Citation, Passage
from ui.chat import THINKING, ChatHandlers
from ui.feedback import FeedbackStore

PASSAGE = Passage(
    id="p1",
    source_id="fr",
    title="Inserm",
    section="Europe",
    url="https://pro.inserm.fr/p",
    language="fr",
    text="L’Inserm coordonne 97 projets.",
    original="L’Inserm coordonne 97 projets.",
    score=0.1,
    similarity=0.9,
)


class ScriptedService:
    def __init__(self, events: list[Event] | None = None, error: Exception | None = None) -> None:
        self.events = events or []
        self.error = error
        self.histories: list[list[Any]] = []

    def validate(self, question: str) -> str:
        if len(question) > 50:
            raise BadInputError("The question is 60 characters long; the limit is 50.")
        return question

    def stream(self, question: str, history: Any, language: Any) -> Iterator[Event]:
        self.histories.append(list(history))
        yield from self.events
        if self.error:
            raise self.error


def answered(question: str = "Combien de projets ?") -> list[Event]:
    answer = Answer(
        question, "fr", "L’Inserm coordonne 97 projets [1].", False, "extractive", citations=[Citation(1, PASSAGE)]
    )
    return [
        Sources([Citation(1, PASSAGE)]),
        Token("L’Inserm coordonne "),
        Token("97 projets [1]."),
        Final(answer, question),
    ]


def run(
    handlers: ChatHandlers, question: str, chat: list[Any] | None = None, turns: list[Any] | None = None
) -> list[tuple[Any, ...]]:
    return list(handlers.respond(question, "auto", chat or [], turns or []))


@pytest.fixture
def store(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "feedback.sqlite3")


def test_sources_show_before_the_answer_streams_then_the_checked_answer(store: FeedbackStore) -> None:
    updates = run(ChatHandlers(ScriptedService(answered()), store), "Combien de projets ?")
    assert updates[0][0][-1]["content"] == THINKING and updates[0][2] == ""  # the box is emptied
    assert "source-card" in updates[1][1] and updates[1][0][-1]["content"] == THINKING
    assert "L’Inserm coordonne" in updates[2][0][-1]["content"] and "▍" in updates[2][0][-1]["content"]
    chat, sources_html, _, turns, _ = updates[-1]
    assert '<a class="cite" href="#src-1-1">[1]</a>' in chat[-1]["content"] and "▍" not in chat[-1]["content"]
    assert "<mark>" in sources_html and turns[0].answer.text.startswith("L’Inserm")


def test_follow_ups_carry_the_conversation(store: FeedbackStore) -> None:
    service = ScriptedService(answered())
    handlers = ChatHandlers(service, store)
    chat, _, _, turns, _ = run(handlers, "Combien de projets ?")[-1]
    run(handlers, "Et qui les coordonne ?", chat, turns)
    assert [(m.role, m.content) for m in service.histories[-1]] == [
        ("user", "Combien de projets ?"),
        ("assistant", "L’Inserm coordonne 97 projets [1]."),
    ]


def test_a_cleared_chat_starts_a_new_conversation(store: FeedbackStore) -> None:
    service = ScriptedService(answered())
    handlers = ChatHandlers(service, store)
    _, _, _, turns, _ = run(handlers, "Combien de projets ?")[-1]
    chat, sources_html, _, turns, _ = run(handlers, "Et qui les coordonne ?", [], turns)[-1]  # shown chat: empty
    assert service.histories[-1] == [] and len(turns) == 1
    assert sources_html.count('class="source-card"') == 1 and 'href="#src-1-1"' in chat[-1]["content"]


def test_too_long_question_warns_and_stays_in_the_box(store: FeedbackStore) -> None:
    with pytest.warns(UserWarning, match="limit is 50"):
        updates = run(ChatHandlers(ScriptedService(answered()), store), "x" * 60)
    chat, _, box, turns, _ = updates[-1]
    assert chat == [] and turns == [] and box == {"__type__": "update"}  # the box is left as it is


def test_a_known_error_is_shown_as_a_message(store: FeedbackStore) -> None:
    service = ScriptedService(error=EmptyIndexError("The index is empty: run `python -m ingest` first."))
    chat, sources_html, _, turns, _ = run(ChatHandlers(service, store), "Combien de projets ?")[-1]
    assert "index is empty" in chat[-1]["content"] and 'class="error"' in chat[-1]["content"]
    assert turns[0].answer is None and "source-card" not in sources_html


def test_an_unexpected_error_shows_no_internals(store: FeedbackStore) -> None:
    service = ScriptedService(answered()[:2], error=RuntimeError("secret stack detail"))
    chat, *_ = run(ChatHandlers(service, store), "Combien de projets ?")[-1]
    assert "secret" not in chat[-1]["content"] and "journalisée" in chat[-1]["content"]


class Like:
    def __init__(self, index: int, liked: bool) -> None:
        self.index, self.liked = index, liked


def test_thumbs_then_comment_are_stored_with_the_conversation(store: FeedbackStore) -> None:
    handlers = ChatHandlers(ScriptedService(answered()), store)
    chat, _, _, turns, _ = run(handlers, "Combien de projets ?")[-1]
    chat, _, _, turns, _ = run(handlers, "Et en Europe ?", chat, turns)[-1]
    row, _, turns = handlers.rate(turns, Like(3, False))  # type: ignore[arg-type]
    assert row["visible"] is True
    handlers.rate(turns, Like(3, True))  # type: ignore[arg-type]  # changed their mind
    handlers.comment("  Très utile.  ", turns)
    (entry,) = store.entries()
    assert (entry.rating, entry.comment) == ("up", "Très utile.")
    assert entry.turns == ["Combien de projets ?", "Et en Europe ?"] and entry.citations[0]["url"]


def test_rating_an_error_message_stores_nothing(store: FeedbackStore) -> None:
    handlers = ChatHandlers(ScriptedService(error=EmptyIndexError("no index")), store)
    _, _, _, turns, _ = run(handlers, "Combien de projets ?")[-1]
    row, _, _ = handlers.rate(turns, Like(1, True))  # type: ignore[arg-type]
    assert row["visible"] is False and store.entries() == []


def test_the_page_follows_a_question_asked_in_the_other_language(store: FeedbackStore) -> None:
    service = ScriptedService(answered())
    handlers = ChatHandlers(service, store)
    *_, turns, _ = run(handlers, "Combien de projets coordonne l’Inserm ?")[-1]
    assert all(update == {"__type__": "update"} for update in handlers.follow(turns, "fr"))  # nothing changes
    switched = handlers.follow(turns, "en")
    assert switched[0] == "fr" and 'data-lang="fr"' in switched[1]
    assert switched[4]["placeholder"] == "Votre question…"
