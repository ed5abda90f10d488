"""Follow-up suggestions over a real Chroma with the text-derived embedder: drawn from the neighbouring
sections or written by a scripted chat model, and shown only when retrieval can answer them."""

from __future__ import annotations

import pytest

from assistant.answering.chain import Assistant
from assistant.answering.responders import ChatResponder, ExtractiveResponder
from assistant.answering.suggestions import Suggester
from assistant.errors import BackendUnavailableError
from assistant.language import detect_language
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import ChunkStore
from assistant.schema import SECTION_SEPARATOR, Answer
from assistant.settings import Settings
from ingest.pipeline import ingest
from tests.helpers import CORPUS, FakeEmbedder, ScriptedChatModel, scripted

INTERAGING = "Who coordinates the InterAging programme?"


@pytest.fixture
def assistant(settings: Settings) -> Assistant:
    settings.retrieval.min_similarity = 0.0  # the fake embedder's cosines are not e5's
    embedder = FakeEmbedder()
    store = ChunkStore.open(settings)
    ingest([CORPUS], settings, embedder, store)
    extractive = ExtractiveResponder(embedder)
    return Assistant(settings, HybridRetriever(store, embedder, settings.retrieval), extractive, extractive)


def best_similarity(assistant: Assistant, question: str, language: str) -> float:
    return max(p.similarity for p in assistant.retriever.retrieve(question, language))


def test_without_a_model_the_neighbouring_sections_become_questions_in_the_askers_language(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(INTERAGING)
    cited = {c.passage.section.split(SECTION_SEPARATOR)[-1] for c in answer.citations}
    suggestions = Suggester(assistant.retriever, 0.0).suggest(answer, asked=[INTERAGING])
    assert 2 <= len(suggestions) <= 3
    assert all(s.startswith("What do the sources say about “") and s.endswith("”?") for s in suggestions)
    assert all(detect_language(s, ("fr", "en")) == "en" for s in suggestions)
    headings = [s.removeprefix("What do the sources say about “").removesuffix("”?") for s in suggestions]
    assert not set(headings) & cited  # the section already cited is not suggested again
    # Each heading is a section next to a cited passage in its source.
    near = assistant.retriever.store.neighbours([c.passage.id for c in answer.citations], 2)
    assert set(headings) <= {str(c.metadata["section"]).split(SECTION_SEPARATOR)[-1] for c in near}

    french = Answer("Qui ?", "fr", answer.text, False, "extractive", citations=answer.citations)
    assert all(
        s.startswith("Que disent les sources sur « ") for s in Suggester(assistant.retriever, 0.0).suggest(french)
    )


def test_a_suggestion_is_shown_only_if_retrieval_finds_it_above_the_abstention_threshold(
    assistant: Assistant,
) -> None:
    answer = assistant.ask(INTERAGING)
    candidates = Suggester(assistant.retriever, 0.0).suggest(answer)
    similarities = sorted(best_similarity(assistant, c, "en") for c in candidates)
    threshold = (similarities[0] + similarities[-1]) / 2
    assert similarities[0] < threshold < similarities[-1]
    shown = Suggester(assistant.retriever, threshold).suggest(answer)
    assert shown and all(best_similarity(assistant, s, "en") >= threshold for s in shown)
    assert set(shown) == {c for c in candidates if best_similarity(assistant, c, "en") >= threshold}


def test_the_chat_model_writes_them_and_unanswerable_or_repeated_ones_are_dropped(assistant: Assistant) -> None:
    answer = assistant.ask(INTERAGING)
    model = ScriptedChatModel(
        rewrites=[
            "1. When was the InterAging programme launched after Agemed?\n"
            "- Who coordinates the InterAging programme?\n"  # already asked
            "Here are some questions:\n"  # not a question
            "• Xyzzy plugh quux?"
        ],
    )
    nonsense = best_similarity(assistant, "Xyzzy plugh quux?", "en")
    partners = best_similarity(assistant, "When was the InterAging programme launched after Agemed?", "en")
    assert partners > nonsense  # the fake embedder agrees that one is about the sources and the other is not
    threshold = (partners + nonsense) / 2
    suggestions = Suggester(assistant.retriever, threshold, ChatResponder(model, "scripted").complete).suggest(
        answer, asked=[INTERAGING]
    )
    assert suggestions[0] == "When was the InterAging programme launched after Agemed?"
    assert "Xyzzy plugh quux?" not in suggestions and INTERAGING not in suggestions
    assert "InterAging" in model.prompts[0][0].content and "in English" in model.prompts[0][0].content
    assert all(
        s.startswith("What do the sources say about") for s in suggestions[1:]
    )  # topped up from the neighbouring sections


def test_an_unreachable_model_falls_back_to_the_neighbouring_sections(assistant: Assistant) -> None:
    answer = assistant.ask(INTERAGING)
    model = scripted([], error=BackendUnavailableError("down"))
    suggestions = Suggester(assistant.retriever, 0.0, model.complete).suggest(answer)
    assert suggestions and all(s.startswith("What do the sources say about") for s in suggestions)
