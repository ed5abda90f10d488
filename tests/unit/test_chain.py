"""The answering chain with deterministic fakes: a real Chroma, a text-derived embedder, scripted drafts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answering import prompts
from assistant.answering.chain import Assistant, Final, Sources, Token
from assistant.answering.conversation import Message
from assistant.answering.responders import ExtractiveResponder, Responder
from assistant.errors import BackendUnavailableError, BadInputError, EmptyIndexError
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings
from assistant.text import questions
from assistant.translations import FILE_NAME as TRANSLATIONS
from ingest.pipeline import ingest
from tests.helpers import CORPUS, MISSIONS, FakeEmbedder, ScriptedChatModel, scripted

HORIZON = "Combien de projets Horizon Europe l'Inserm coordonne-t-il ?"


@pytest.fixture
def embedder() -> FakeEmbedder:
    return FakeEmbedder()


def index(settings: Settings, embedder: FakeEmbedder, corpus: Path = CORPUS) -> Settings:
    settings.retrieval.min_similarity = 0.0  # the fake embedder's cosines are not e5's
    settings.answer.focus_sentences = 6  # and its hashed words rank the evidence sentence 4th to 6th
    settings.retrieval.translate_query = False  # scripted drafts answer the answering prompt only
    store = ChunkStore.open(settings)
    ingest([corpus], settings, embedder, store)
    return settings


@pytest.fixture
def indexed(settings: Settings, embedder: FakeEmbedder) -> Settings:
    return index(settings, embedder)


@pytest.fixture
def untranslated(settings: Settings, embedder: FakeEmbedder, tmp_path: Path) -> Settings:
    """The corpus without its translation memory: a quote in the other language is translated by the model."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus, ignore=shutil.ignore_patterns(TRANSLATIONS))
    return index(settings, embedder, corpus)


def make(settings: Settings, embedder: FakeEmbedder, responder: Responder | None = None) -> Assistant:
    store = ChunkStore.open(settings)
    extractive = ExtractiveResponder(embedder)
    return Assistant(
        settings, HybridRetriever(store, embedder, settings.retrieval), responder or extractive, extractive
    )


def brussels_number(assistant: Assistant) -> int:
    passages = assistant.retriever.retrieve(HORIZON, "fr")
    return next(n for n, p in enumerate(passages, start=1) if "en coordonne 97" in p.text)


def test_stream_gives_sources_first_then_tokens_then_the_checked_answer(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    n = brussels_number(make(indexed, embedder))
    responder = scripted([f"L’Inserm coordonne 97 projets Horizon Europe [{n}]."])
    events = list(make(indexed, embedder, responder).stream(HORIZON))
    assert isinstance(events[0], Sources) and isinstance(events[-1], Final)
    assert all(isinstance(e, Token) for e in events[1:-1]) and len(events) > 3
    answer = events[-1].answer
    assert answer.text == f"L’Inserm coordonne 97 projets Horizon Europe [{n}]."
    assert [c.n for c in answer.citations] == [n] and "en coordonne 97" in answer.citations[0].passage.original
    assert answer.language == "fr" and not answer.abstained and answer.responder == "scripted"
    assert answer.fallback == ""
    assert set(answer.timings_ms) == {"retrieve", "generate", "total"}


def test_an_invented_answer_falls_back_to_quoting_the_sources(indexed: Settings, embedder: FakeEmbedder) -> None:
    responder = scripted(["L’Inserm coordonne 500 projets [1]."])
    answer = make(indexed, embedder, responder).ask(HORIZON)
    assert "500" not in answer.text and answer.responder == "extractive" and answer.fallback == "ungrounded"
    assert answer.text.startswith("Voici ce que disent les sources")
    assert any("pas étayée" in w for w in answer.warnings)
    assert answer.citations and all(f"[{c.n}]" in answer.text for c in answer.citations)


def test_a_model_that_does_not_know_makes_the_assistant_abstain_in_the_asker_language(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    answer = make(indexed, embedder, scripted(["I don't know."])).ask("Who heads the Brussels office?")
    assert answer.abstained and answer.language == "en"
    assert answer.text == "I don't know: the answer is not in my sources."


def test_weak_retrieval_abstains_with_see_also(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.retrieval.min_similarity = 0.99
    answer = make(indexed, embedder).ask("Quel temps fait-il à Lima ?")
    assert answer.abstained and answer.text.startswith("Je ne sais pas")
    indexed.retrieval.min_similarity = 0.0
    assert not make(indexed, embedder).ask(MISSIONS).abstained


def test_a_unit_code_the_passages_hold_lifts_the_similarity_floor(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.retrieval.min_similarity = 0.99
    assert not make(indexed, embedder).ask("tell me about inserm unit u1273").abstained
    assert make(indexed, embedder).ask("tell me about inserm unit u9999").abstained  # a code no passage holds


def test_a_year_absent_from_the_passages_means_not_in_the_sources(indexed: Settings, embedder: FakeEmbedder) -> None:
    answer = make(indexed, embedder).ask("Combien de projets Horizon Europe l'Inserm coordonnait-il en 2010 ?")
    assert answer.abstained


def test_a_question_about_everyday_life_is_not_answered_from_the_passages_it_names(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    answer = make(indexed, embedder).ask("Tu connais un bon restaurant près du bureau de l'Inserm à Bruxelles ?")
    assert answer.abstained and answer.text.startswith("Je ne sais pas")
    assert not make(indexed, embedder).ask("Que fait le bureau de l'Inserm à Bruxelles ?").abstained


def test_an_unreachable_model_falls_back_and_says_so(indexed: Settings, embedder: FakeEmbedder) -> None:
    responder = scripted([], error=BackendUnavailableError("connection refused"))
    answer = make(indexed, embedder, responder).ask(HORIZON)
    assert answer.text.startswith("Voici ce que disent les sources") and answer.responder == "extractive"
    assert answer.citations and answer.fallback == "llm_unavailable"
    assert any("injoignable" in w and "connection refused" in w for w in answer.warnings)


def test_an_empty_draft_falls_back_without_a_warning(indexed: Settings, embedder: FakeEmbedder) -> None:
    answer = make(indexed, embedder, scripted([""])).ask(HORIZON)
    assert answer.responder == "extractive" and answer.fallback == "empty_draft" and not answer.warnings
    assert "fallback" not in answer.to_json()  # for the metrics only: the JSON contract is unchanged


def test_follow_ups_are_rewritten_by_the_model_when_set_to(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.answer.followups = "model"
    n = brussels_number(make(indexed, embedder))
    responder = scripted([f"97 [{n}]."], rewrites=[HORIZON])
    history = [Message("user", "Parle-moi du bureau de Bruxelles."), Message("assistant", "…")]
    make(indexed, embedder, responder).ask("Et combien de projets coordonne-t-il ?", history)
    assert isinstance(responder.model, ScriptedChatModel)
    rewrite, draft = responder.model.prompts
    assert "Parle-moi du bureau de Bruxelles." in rewrite[0].content
    assert f"Question : {HORIZON}\n" in draft[1].content


def test_a_question_that_stands_on_its_own_is_not_rewritten(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.answer.followups = "model"
    responder = scripted([], rewrites=["A rewritten question on another subject?"])
    assistant = make(indexed, embedder, responder)
    history = [Message("user", "Parle-moi du PCT InterAging."), Message("assistant", "…")]
    question = "How many Horizon Europe projects does Inserm coordinate?"
    assert assistant.standalone(question, history, "en", []) == question
    assert isinstance(responder.model, ScriptedChatModel) and responder.model.prompts == []  # no model call
    assert (
        assistant.standalone("And who coordinates it?", history, "en", []) == "A rewritten question on another subject?"
    )


def test_without_a_model_follow_ups_use_the_rule(indexed: Settings, embedder: FakeEmbedder) -> None:
    assistant = make(indexed, embedder)
    history = [Message("user", "Parle-moi du PCT InterAging."), Message("assistant", "…")]
    assert (
        assistant.standalone("Et qui le coordonne ?", history, "fr", [])
        == "Parle-moi du PCT InterAging. Et qui le coordonne ?"
    )


def test_the_language_can_be_set(indexed: Settings, embedder: FakeEmbedder) -> None:
    assert make(indexed, embedder).ask(MISSIONS, language="en").text.startswith("Here is what the sources say")


@pytest.mark.parametrize("question", ["", "   \n ", "x" * 1001])
def test_empty_or_huge_questions_are_refused_with_a_clear_message(
    indexed: Settings, embedder: FakeEmbedder, question: str
) -> None:
    with pytest.raises(BadInputError, match=r"empty|limit is 1000"):
        make(indexed, embedder).ask(question)


def test_no_index_yet_says_to_run_ingest(settings: Settings, embedder: FakeEmbedder) -> None:
    with pytest.raises(EmptyIndexError, match="python -m ingest"):
        make(settings, embedder).ask(HORIZON)


def test_the_json_contract(indexed: Settings, embedder: FakeEmbedder) -> None:
    data = make(indexed, embedder).ask(HORIZON).to_json()
    assert list(data) == [
        "question",
        "language",
        "answer",
        "abstained",
        "responder",
        "citations",
        "timings_ms",
        "warnings",
    ]
    citations = data["citations"]
    assert isinstance(citations, list)
    assert set(citations[0]) == {"n", "source_id", "title", "section", "url", "language", "text", "score"}


def test_sources_passed_to_the_model_are_numbered_from_one(
    indexed: Settings, embedder: FakeEmbedder, tmp_path: Path
) -> None:
    events = list(make(indexed, embedder).stream(MISSIONS))
    sources = events[0]
    assert isinstance(sources, Sources)
    assert [c.n for c in sources.citations] == list(range(1, indexed.retrieval.top_k + 1))


def test_the_final_event_shows_what_the_responder_read(indexed: Settings, embedder: FakeEmbedder) -> None:
    n = brussels_number(make(indexed, embedder))
    passages = make(indexed, embedder).retriever.retrieve(HORIZON, "fr")
    responder = scripted([f"L’Inserm coordonne 97 projets Horizon Europe [{n}]."])
    final = list(make(indexed, embedder, responder).stream(HORIZON))[-1]
    assert isinstance(final, Final)
    # a chat model reads the passages cut down to their closest sentences, numbered as the sources are
    assert [p.id for p in final.shown] == [p.id for p in passages]
    assert "en coordonne 97" in final.shown[n - 1].text
    assert sum(len(p.text) for p in final.shown) < sum(len(p.text) for p in passages)
    extractive = list(make(indexed, embedder).stream(MISSIONS))[-1]
    read = make(indexed, embedder).retriever.retrieve(MISSIONS, "fr")
    assert isinstance(extractive, Final) and extractive.shown == read  # it reads the whole passages
    abstained = list(make(indexed, embedder).stream("Combien de projets en 2010 ?"))[-1]
    assert isinstance(abstained, Final) and abstained.answer.abstained and abstained.shown == []


def test_quote_mode_answers_an_english_question_with_the_french_evidence_translated(
    untranslated: Settings, embedder: FakeEmbedder
) -> None:
    indexed = untranslated
    indexed.answer.compose = "quote"
    question = "How many Horizon Europe projects does Inserm coordinate?"
    passages = make(indexed, embedder).retriever.retrieve(question, "en")
    chosen = ExtractiveResponder(embedder).select(question, passages)
    french = [sentence for n, sentence in chosen if passages[n - 1].language == "fr"]
    assert french, "the fake embedder's choice holds a French sentence"
    model = ScriptedChatModel(drafts=[f"In English, {sentence}" for sentence in french])
    answer = Assistant.from_settings(indexed, embedder=embedder, chat_model=model).ask(question, language="en")
    assert answer.text.startswith(prompts.EXTRACTIVE_INTRO_TRANSLATED["en"]) and not answer.fallback
    assert answer.text.count("In English,") == len(french)
    assert [m[0].content for m in model.prompts] == [prompts.TRANSLATE_SYSTEM] * len(french)
    assert {c.n for c in answer.citations} == {n for n, _ in chosen}


def test_quote_mode_quotes_the_originals_when_a_translation_is_not_supported(
    untranslated: Settings, embedder: FakeEmbedder
) -> None:
    indexed = untranslated
    indexed.answer.compose = "quote"
    model = ScriptedChatModel(drafts=["Inserm has 5000 offices."] * 20)
    assistant = Assistant.from_settings(indexed, embedder=embedder, chat_model=model)
    answer = assistant.ask("How many Horizon Europe projects does Inserm coordinate?", language="en")
    assert answer.fallback == "ungrounded" and "5000" not in answer.text
    assert answer.text.startswith(prompts.EXTRACTIVE_INTRO_OTHER_LANGUAGE["en"])


def test_the_question_is_searched_together_with_its_translation(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.retrieval.translate_query = True
    indexed.answer.compose = "quote"
    french = "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"
    model = ScriptedChatModel(drafts=[french] + [""] * 10)  # then no sentence translation: the originals stay
    question = "How many Horizon Europe projects does Inserm coordinate?"
    final = list(Assistant.from_settings(indexed, embedder=embedder, chat_model=model).stream(question, language="en"))[
        -1
    ]
    assert isinstance(final, Final) and final.query == f"{question} {french}"
    assert "Translate into French" in str(model.prompts[0][1].content) and question in str(model.prompts[0][1].content)


def test_a_question_typed_without_its_question_mark_still_ends_before_its_translation(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    indexed.retrieval.translate_query = True
    french = "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"
    model = ScriptedChatModel(drafts=[french] + [""] * 10)
    question = "how many horizon europe projects does inserm coordinate"
    final = list(Assistant.from_settings(indexed, embedder=embedder, chat_model=model).stream(question, language="en"))[
        -1
    ]
    assert isinstance(final, Final) and questions(final.query) == [f"{question} ?", french]


def test_a_question_asked_again_is_not_translated_again(indexed: Settings, embedder: FakeEmbedder) -> None:
    indexed.retrieval.translate_query = True
    french = "Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"
    model = ScriptedChatModel(drafts=[french] + [""] * 20)
    assistant = Assistant.from_settings(indexed, embedder=embedder, chat_model=model)
    question = "How many Horizon Europe projects does Inserm coordinate?"
    first, again = (list(assistant.stream(question, language="en"))[-1] for _ in range(2))
    assert (
        isinstance(first, Final) and isinstance(again, Final) and again.query == first.query == f"{question} {french}"
    )
    asked = [str(m[1].content) for m in model.prompts if "Translate into French" in str(m[1].content)]
    assert asked == [f"Translate into French:\n{question}"]


def test_a_follow_up_is_searched_after_its_earlier_question_and_only_it_is_translated(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    indexed.retrieval.translate_query = True
    first, follow_up = "What is the PCT InterAging?", "And who coordinates it?"
    translations = ["Qu’est-ce que le PCT InterAging ?", "Et qui le coordonne ?"]
    model = ScriptedChatModel(drafts=[translations[0]] + [""] * 10)  # then no sentence translation
    assistant = Assistant.from_settings(indexed, embedder=embedder, chat_model=model)
    answer = assistant.ask(first, language="en")
    model.drafts[:] = [translations[1]] + [""] * 10
    history = [Message("user", first), Message("assistant", answer.text)]
    final = list(assistant.stream(follow_up, history, language="en"))[-1]
    assert isinstance(final, Final) and final.query == " ".join([first, follow_up, *translations])
    asked = [str(m[1].content) for m in model.prompts if "Translate into French" in str(m[1].content)]
    assert asked == [f"Translate into French:\n{first}", f"Translate into French:\n{follow_up}"]  # no rewrite call


def test_an_unreachable_model_leaves_the_question_untranslated_with_one_warning(
    indexed: Settings, embedder: FakeEmbedder
) -> None:
    indexed.retrieval.translate_query = True
    indexed.answer.compose = "quote"
    model = ScriptedChatModel(error=OSError("connection refused"))
    question = "How many Horizon Europe projects does Inserm coordinate?"
    final = list(Assistant.from_settings(indexed, embedder=embedder, chat_model=model).stream(question, language="en"))[
        -1
    ]
    assert isinstance(final, Final) and final.query == question
    assert len(final.answer.warnings) == 1 and "could not be reached" in final.answer.warnings[0]
