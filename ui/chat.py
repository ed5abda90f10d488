"""The Gradio chat: the full page (`/`) and the compact widget (`/widget`) are the same Blocks.

A question goes through `AnswerService.stream`: the sources panel fills as soon as retrieval
is done, the draft streams into the last message, and the checked answer replaces it. Every
message is rendered by `ui.render`, which escapes all user and model text.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import gradio as gr
from gradio.components.chatbot import ExampleMessage

from assistant.answering.chain import Final, Sources, Token
from assistant.answering.conversation import Message
from assistant.answering.suggestions import MAX_SUGGESTIONS
from assistant.errors import AssistantError, BadInputError
from assistant.language import question_language
from assistant.schema import Answer, Citation
from ui import render, transcript
from ui.feedback import FeedbackStore
from ui.strings import STRINGS, button_keys, choose_language

log = logging.getLogger(__name__)

THINKING = '<span class="pending">…</span>'


@dataclass
class Turn:
    """One question of the conversation and what came of it (`answer` is None after an error)."""

    question: str
    language: str  # of the answer
    asked_in: str  # the question's language, which the page follows
    message_index: int  # where its answer is in the chat's list of messages
    answer: Answer | None = None
    citations: list[Citation] = field(default_factory=list)  # shown while the answer is written
    feedback_id: int | None = None
    query: str = ""  # what was searched: the question, or the follow-up made standalone

    @property
    def number(self) -> int:
        return self.message_index // 2 + 1

    def sources(self) -> render.TurnSources:
        answer = self.answer
        return render.TurnSources(
            turn=self.number,
            question=self.question,
            answer_text=answer.text if answer else "",
            citations=answer.citations if answer else self.citations,
            abstained=bool(answer and answer.abstained),
            language=self.language,
        )


def history_of(turns: list[Turn]) -> list[Message]:
    messages: list[Message] = []
    for turn in turns:
        if turn.answer is not None:
            messages += [Message("user", turn.question), Message("assistant", turn.answer.text)]
    return messages


def with_answer(chat: list[dict[str, Any]], content: str) -> list[dict[str, Any]]:
    """A new list (each update Gradio receives stays as it was sent) whose last message is the answer."""
    return [*chat[:-1], {"role": "assistant", "content": content}]


def panel(turns: list[Turn]) -> str:
    shown = [t.sources() for t in turns if t.answer is not None or t.citations]
    answered = [s for s in shown if s.answer_text]
    header = transcript.download_button(answered) if answered else ""
    return render.sources_panel(shown, actions=transcript.copy_button, header=header)


class ChatHandlers:
    """What the chat's events do; `service` is an `AnswerService` (anything with `validate` and `stream`)."""

    def __init__(self, service: Any, feedback: FeedbackStore, compact: bool = False) -> None:
        self.service = service
        self.feedback = feedback
        self.compact = compact  # the widget: fewer examples

    def respond(self, question: str, language: str, chat: list[dict[str, Any]], turns: list[Turn]) -> Iterator[Any]:
        """Yields (chat, sources panel, question box, turns, feedback row) as the answer progresses."""
        chat = list(chat or [])
        # The chat shown is the truth: turns it no longer shows (cleared, or an API client sending
        # a shorter history) are not part of the conversation.
        turns = [t for t in turns or [] if t.message_index < len(chat)]
        try:
            question = self.service.validate(question)
        except BadInputError as error:
            gr.Warning(str(error))  # the question stays in the box, to be fixed
            yield chat, panel(turns), gr.update(), turns, gr.update()
            return
        chosen = None if language == "auto" else language
        asked_in = question_language(question)
        turn = Turn(question, chosen or asked_in, asked_in, message_index=len(chat) + 1)
        chat += [{"role": "user", "content": render.escape(question)}, {"role": "assistant", "content": THINKING}]
        yield chat, panel(turns), "", turns, gr.update(visible=False)
        draft = ""
        try:
            for event in self.service.stream(question, history_of(turns), chosen):
                if isinstance(event, Sources):
                    turn.citations = event.citations
                    yield chat, panel([*turns, turn]), gr.update(), turns, gr.update()
                elif isinstance(event, Token):
                    draft += event.text
                    chat = with_answer(chat, render.draft_message(draft, turn.number, turn.citations))
                    yield chat, gr.update(), gr.update(), turns, gr.update()
                elif isinstance(event, Final):
                    turn.answer, turn.language, turn.query = event.answer, event.answer.language, event.query
                    if chosen is None:  # the assistant's reading of the question's language, in context
                        turn.asked_in = turn.language
                    chat = with_answer(chat, render.answer_message(event.answer, turn.number, event.query))
        except AssistantError as error:
            chat = with_answer(chat, render.error_message(str(error)))
        except Exception:
            log.exception("answering %r failed", question)
            chat = with_answer(chat, render.error_message(STRINGS[turn.language].unexpected))
        turns.append(turn)
        yield chat, panel(turns), gr.update(), turns, gr.update()

    def rate(self, turns: list[Turn], data: gr.LikeData) -> tuple[Any, Any, list[Turn]]:
        """Thumbs up/down on an answer: stored at once; the comment box opens for an optional comment."""
        turn = next((t for t in turns if t.message_index == data.index and t.answer is not None), None)
        if turn is None or turn.answer is None or data.liked not in (True, False):
            return gr.update(visible=False), gr.update(), turns
        rating = "up" if data.liked else "down"
        if turn.feedback_id is None:
            asked = [t.question for t in turns if t.answer is not None and t.message_index <= turn.message_index]
            turn.feedback_id = self.feedback.record(asked, turn.answer.to_json(), rating)
        else:
            self.feedback.set_rating(turn.feedback_id, rating)
        return gr.update(visible=True), gr.update(value=""), turns

    def comment(self, text: str, turns: list[Turn]) -> tuple[Any, Any]:
        """The comment goes with the latest rating."""
        rated = [t for t in turns if t.feedback_id is not None]
        if rated and text.strip():
            latest = max(rated, key=lambda t: t.feedback_id or 0)
            self.feedback.set_comment(latest.feedback_id or 0, text.strip())
            gr.Info(STRINGS[latest.language].thanks)
        return gr.update(visible=False), ""

    def suggest(self, turns: list[Turn]) -> tuple[Any, ...]:
        """(group, its label, each button): follow-up questions under the latest answer; hidden when none."""
        latest = turns[-1] if turns else None
        if latest is None or latest.answer is None:
            return gr.update(visible=False), gr.update(), *[gr.update()] * MAX_SUGGESTIONS
        try:
            questions = self.service.suggest(latest.answer, [t.question for t in turns])
        except AssistantError as error:  # busy, or the index went away: the answer is there, skip them
            log.warning("no suggestions: %s", error)
            questions = []
        buttons = [gr.update(value=q, visible=True) for q in questions]
        buttons += [gr.update(visible=False)] * (MAX_SUGGESTIONS - len(questions))
        return gr.update(visible=bool(questions)), f"**{STRINGS[latest.language].suggestions_label}**", *buttons

    @staticmethod
    def clear() -> tuple[Any, ...]:
        return [], panel([]), "", [], gr.update(visible=False)

    def start(self, request: gr.Request) -> list[Any]:
        """The page in the visitor's language, on load."""
        requested = request.query_params.get("lang")
        return relabel(choose_language(requested, request.headers.get("accept-language")), self.compact)

    def follow(self, turns: list[Turn], shown: str) -> list[Any]:
        """The page switches to the language of the latest question when it was asked in the other one."""
        latest = turns[-1] if turns else None
        if latest is None or latest.asked_in == shown or latest.asked_in not in STRINGS:
            return [gr.skip()] * len(relabel(shown, self.compact))
        return relabel(latest.asked_in, self.compact)


def relabel(language: str, compact: bool) -> list[Any]:
    """Updates that put every label of the page in `language`, in `build_chat`'s `labelled` order."""
    text = STRINGS[language]
    return [
        language,
        f'<span data-lang="{language}" data-title="{html.escape(text.page_title)}"'
        f' data-chat-label="{html.escape(text.chat_label)}"'
        f" data-names='{html.escape(json.dumps(text.buttons))}' data-keys='{html.escape(json.dumps(button_keys()))}'>"
        "</span>",
        gr.update(value=f"# {text.heading}\n{text.intro}"),
        gr.update(
            label=text.chat_label,
            placeholder=text.chat_placeholder,
            examples=examples(text.examples[:2] if compact else text.examples),
        ),
        gr.update(label=text.question_label, placeholder=text.question_placeholder),
        gr.update(label=text.language_label, choices=list(text.language_choices)),
        gr.update(value=text.new_chat),
        gr.update(label=text.comment_label),
        gr.update(value=text.send),
    ]


def examples(questions: Sequence[str]) -> list[ExampleMessage]:
    return [{"text": q} for q in questions]


def build_chat(service: Any, feedback: FeedbackStore, compact: bool = False) -> gr.Blocks:
    """The chat, built in French and relabelled on load in the visitor's language (`relabel`)."""
    handlers = ChatHandlers(service, feedback, compact)
    text = STRINGS["fr"]
    with gr.Blocks(title=text.page_title, fill_height=not compact) as blocks:
        turns_state = gr.State([])
        shown_language = gr.State("fr")
        # Read by chat.js, which sets <html lang>, the title and Gradio's own labels from it.
        language_mark = gr.HTML(elem_id="ui-language", elem_classes="ui-language")
        header = gr.Markdown(f"# {text.heading}\n{text.intro}", elem_id="header", visible=not compact)
        with gr.Row(equal_height=False, elem_classes="chat-row"):
            with gr.Column(scale=3, min_width=300):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    label=text.chat_label,
                    height=380 if compact else 520,
                    show_label=False,
                    layout="bubble",
                    examples=examples(text.examples[:2] if compact else text.examples),
                    placeholder=text.chat_placeholder,
                    sanitize_html=True,
                    feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                    autoscroll=True,
                )
                with gr.Row():
                    question_box = gr.Textbox(
                        elem_id="question",
                        label=text.question_label,
                        show_label=False,
                        scale=5,
                        lines=1,
                        max_lines=6,
                        autofocus=not compact,
                        placeholder=text.question_placeholder,
                        submit_btn=True,
                    )
                with gr.Row(elem_classes="controls"):
                    language = gr.Radio(
                        list(text.language_choices),
                        value="auto",
                        label=text.language_label,
                        show_label=False,
                        elem_id="language",
                        container=False,
                        scale=3,
                    )
                    clear_button = gr.Button(text.new_chat, size="sm", elem_id="clear", scale=1, variant="secondary")
                with gr.Column(visible=False, elem_id="suggestions") as suggestions:
                    suggestions_label = gr.Markdown()
                    with gr.Row():
                        suggested_buttons = [
                            gr.Button(size="sm", variant="secondary", elem_classes="suggestion", min_width=120)
                            for _ in range(MAX_SUGGESTIONS)
                        ]
                with gr.Row(visible=False, elem_id="feedback-row") as feedback_row:
                    comment_box = gr.Textbox(label=text.comment_label, elem_id="feedback-comment", scale=5)
                    send_comment = gr.Button(text.send, size="sm", scale=1, elem_id="feedback-send")
            with gr.Column(scale=2, min_width=260, elem_classes="sources-column"):
                sources = gr.HTML(panel([]), elem_id="sources", js_on_load=transcript.ACTIONS_JS)

        labelled = [
            shown_language,
            language_mark,
            header,
            chatbot,
            question_box,
            language,
            clear_button,
            comment_box,
            send_comment,
        ]
        # No progress shown on the relabelled components: a relabelling is not work the visitor waits for.
        quiet = {"api_visibility": "private", "show_progress": "hidden"}
        blocks.load(handlers.start, None, labelled, **quiet)
        outputs = [chatbot, sources, question_box, turns_state, feedback_row]
        inputs = [question_box, language, chatbot, turns_state]
        asked = question_box.submit(handlers.respond, inputs, outputs, api_name="ask")
        example = chatbot.example_select(example_text, None, question_box, api_visibility="private").then(
            handlers.respond, inputs, outputs, api_visibility="private"
        )
        # A suggestion's button holds its question as its label: clicking asks it.
        suggested = [
            button.click(lambda question: question, button, question_box, api_visibility="private").then(
                handlers.respond, inputs, outputs, api_visibility="private"
            )
            for button in suggested_buttons
        ]
        for answered in (asked, example, *suggested):
            answered.then(handlers.follow, [turns_state, shown_language], labelled, **quiet)
            # The suggestions appear when ready; a progress overlay on them would grey out the page.
            answered.then(
                handlers.suggest, [turns_state], [suggestions, suggestions_label, *suggested_buttons], **quiet
            )
        triggers = [question_box.submit, chatbot.example_select, clear_button.click, chatbot.clear]
        for trigger in triggers + [button.click for button in suggested_buttons]:
            trigger(hidden, None, suggestions, api_visibility="private", queue=False)  # the old ones go at once
        chatbot.like(handlers.rate, [turns_state], [feedback_row, comment_box, turns_state], api_visibility="private")
        for send in (send_comment.click, comment_box.submit):
            send(handlers.comment, [comment_box, turns_state], [feedback_row, comment_box], api_visibility="private")
        clear_button.click(handlers.clear, None, outputs, api_visibility="private")
        chatbot.clear(handlers.clear, None, outputs, api_visibility="private")  # the chat's own trash button
    return blocks


def example_text(data: gr.SelectData) -> str:
    return str(data.value["text"])


def hidden() -> Any:
    return gr.update(visible=False)
