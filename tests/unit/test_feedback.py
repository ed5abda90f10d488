"""The feedback store on a real SQLite file, and its export as gold cases the evals can load."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from evals.gold import load_gold
from evals.metrics.correctness import answer_correct
from evals.metrics.retrieval import contains
from ui.feedback import FeedbackEntry, FeedbackStore, to_gold_case

HORIZON = (
    "L’Inserm a été créé en 1964. L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 "
    "(rapport d’activité 2024). Il compte 15 000 personnels."
)
HORIZON_SENTENCE = "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024)."


def citation(text: str = HORIZON, language: str = "fr", n: int = 1) -> dict[str, Any]:
    return {
        "n": n,
        "source_id": "europe",
        "title": "L’Inserm en Europe",
        "section": "Horizon Europe",
        "url": "https://www.inserm.fr/nous-connaitre/inserm-europe/",
        "language": language,
        "text": text,
        "score": 0.8123,
    }


def answer(
    text: str, language: str = "fr", citations: list[dict[str, Any]] | None = None, abstained: bool = False
) -> dict[str, Any]:
    """An `Answer.to_json()` dict."""
    return {
        "question": "?",
        "language": language,
        "answer": text,
        "abstained": abstained,
        "responder": "extractive",
        "citations": [citation()] if citations is None else citations,
        "timings_ms": {"total": 12.5},
        "warnings": [],
    }


def entry(
    text: str,
    rating: str = "up",
    turns: list[str] | None = None,
    language: str = "fr",
    citations: list[dict[str, Any]] | None = None,
    abstained: bool = False,
) -> FeedbackEntry:
    return FeedbackEntry(
        1,
        "2025-01-01T00:00:00+00:00",
        rating,
        "",
        language,
        turns or ["Combien ?"],
        "Combien ?",
        text,
        abstained,
        "extractive",
        [citation()] if citations is None else citations,
    )


def test_record_then_entries_round_trips_french_text_and_citations(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    turns = ["Qu’est-ce que le PCT « InterAging » ?", "Et qui en assure la coordination ?"]
    rated = answer(
        "Sa coordination scientifique est assurée par Éric Gilson [1].",
        citations=[citation("Sa coordination scientifique est assurée par Éric Gilson.")],
    )
    rated["question"] = turns[-1]
    before = datetime.now().astimezone()

    first = store.record(turns, rated, "up", comment="Très clair, merci !")
    second = store.record(["Autre question ?"], answer("Je ne sais pas.", abstained=True), "down")

    assert first != second
    entries = store.entries()
    assert [e.id for e in entries] == [first, second]
    stored = entries[0]
    assert (stored.rating, stored.comment, stored.language, stored.turns, stored.question) == (
        "up",
        "Très clair, merci !",
        "fr",
        turns,
        "Et qui en assure la coordination ?",
    )
    assert (stored.answer, stored.abstained, stored.responder) == (rated["answer"], False, "extractive")
    assert stored.citations == rated["citations"]
    created = datetime.fromisoformat(stored.created_at)
    assert created.utcoffset() == timedelta(0)
    assert before - timedelta(seconds=2) <= created <= datetime.now().astimezone()
    assert entries[1].abstained is True
    with pytest.raises(AttributeError):
        stored.rating = "down"  # type: ignore[misc]


def test_set_comment_and_set_rating_change_only_that_entry(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    changed = store.record(["Combien ?"], answer("97 [1]."), "up")
    untouched = store.record(["Et où ?"], answer("À Bruxelles [1]."), "up", comment="ok")

    store.set_comment(changed, "En fait, la réponse est incomplète.")
    store.set_rating(changed, "down")

    by_id = {e.id: e for e in store.entries()}
    assert (by_id[changed].rating, by_id[changed].comment) == ("down", "En fait, la réponse est incomplète.")
    assert (by_id[untouched].rating, by_id[untouched].comment) == ("up", "ok")
    assert [e.id for e in store.entries("down")] == [changed]
    assert [e.id for e in store.entries("up")] == [untouched]


def test_an_invalid_rating_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    with pytest.raises(ValueError, match=r"rating must be 'up' or 'down', not 'meh'"):
        store.record(["Combien ?"], answer("97 [1]."), "meh")
    assert store.entries() == []

    feedback_id = store.record(["Combien ?"], answer("97 [1]."), "up")
    with pytest.raises(ValueError, match="rating must be"):
        store.set_rating(feedback_id, "UP")
    assert store.entries()[0].rating == "up"


def test_a_question_is_needed(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    for turns in ([], ["Combien ?", "  "]):
        with pytest.raises(ValueError, match="turns"):
            store.record(turns, answer("97 [1]."), "up")
    assert store.entries() == []


def test_an_unknown_id_raises_key_error(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    known = store.record(["Combien ?"], answer("97 [1]."), "up")
    with pytest.raises(KeyError, match=str(known + 1)):
        store.set_comment(known + 1, "?")
    with pytest.raises(KeyError):
        store.set_rating(known + 1, "down")


def test_feedback_is_durable_across_stores_on_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "feedback.sqlite3"
    feedback_id = FeedbackStore(path).record(["Combien ?"], answer("97 [1]."), "down", comment="faux")

    reopened = FeedbackStore(path)
    assert [(e.id, e.rating, e.comment) for e in reopened.entries()] == [(feedback_id, "down", "faux")]
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_concurrent_writers_all_land(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    start = threading.Barrier(8)
    ids: list[int] = []
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        start.wait()
        try:
            for i in range(20):
                ids.append(store.record([f"Question {worker}-{i} ?"], answer(f"Réponse {worker}-{i} [1]."), "up"))
        except BaseException as error:  # a thread's exception would otherwise be lost
            errors.append(error)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(ids)) == 160
    stored = store.entries()
    assert sorted(e.id for e in stored) == sorted(ids)
    assert {e.turns[0] for e in stored} == {f"Question {w}-{i} ?" for w in range(8) for i in range(20)}


def test_export_writes_gold_cases_the_evals_load(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "db" / "feedback.sqlite3")
    mono_text = "L’Inserm coordonne 97 projets Horizon Europe [1] et compte 20\u202f000 personnels [1]."
    mono = store.record(["Combien de projets Horizon Europe l’Inserm coordonne-t-il ?"], answer(mono_text), "up")
    abstention = store.record(
        ["Quel est le budget international de l’Inserm ?"],
        answer("Je ne trouve pas cette information dans les sources.", abstained=True),
        "up",
    )
    down = store.record(
        ["Combien de projets ?"], answer("L’Inserm coordonne 12 projets [1]."), "down", comment="Faux : c’est 97."
    )
    followup = store.record(
        ["Qu’est-ce que Horizon Europe ?", "Et combien l’Inserm en coordonne ?"],
        answer("Il en coordonne 97 [1]."),
        "up",
    )
    cross_text = "Inserm coordinates 97 Horizon Europe projects [1]."
    cross = store.record(
        ["How many Horizon Europe projects does Inserm coordinate?"], answer(cross_text, language="en"), "up"
    )
    out = tmp_path / "feedback.jsonl"

    assert store.export(out) == 5

    cases = {c.id: c for c in load_gold(out)}
    raw = {line["id"]: line for line in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert list(raw) == [f"feedback-{i}" for i in (mono, abstention, down, followup, cross)]
    assert "’" in out.read_text(encoding="utf-8")  # UTF-8, not \u escapes

    case = cases[f"feedback-{mono}"]
    assert (case.kind, case.lang) == ("mono", "fr")
    assert case.must == [[r"\b97\b"], [r"\b20\s?000\b"]]  # the [1] markers are not figures
    assert answer_correct(mono_text, case.must)
    assert not answer_correct(mono_text.replace("97", "95"), case.must)
    assert case.evidence == HORIZON_SENTENCE
    assert contains(HORIZON, case.evidence)
    assert raw[f"feedback-{mono}"]["feedback"]["review"] == (
        "Thumbs up: check `must` and `evidence` before adding this case to the gold set."
    )

    case = cases[f"feedback-{abstention}"]
    assert (case.kind, case.must, case.evidence, case.answerable) == ("unanswerable", [], None, False)

    case = cases[f"feedback-{down}"]
    assert (case.kind, case.must, case.evidence) == ("mono", [], None)
    assert raw[f"feedback-{down}"]["feedback"] == {
        "rating": "down",
        "comment": "Faux : c’est 97.",
        "answer": "L’Inserm coordonne 12 projets [1].",
        "created_at": store.entries("down")[0].created_at,
        "review": "Thumbs down: write `must` (what a right answer says) and `evidence` (the source text that holds "
        "it) before adding this case to the gold set.",
    }

    case = cases[f"feedback-{followup}"]
    assert case.kind == "followup"
    assert case.turns == ["Qu’est-ce que Horizon Europe ?", "Et combien l’Inserm en coordonne ?"]
    assert (case.must, case.evidence) == ([[r"\b97\b"]], HORIZON_SENTENCE)

    case = cases[f"feedback-{cross}"]
    assert (case.kind, case.lang, case.must, case.evidence) == ("cross", "en", [[r"\b97\b"]], HORIZON_SENTENCE)
    assert answer_correct(cross_text, case.must)


def test_a_passage_in_the_answers_language_makes_it_mono() -> None:
    cited = [citation(language="fr"), citation("Inserm coordinates 97 projects.", language="en", n=2)]
    assert to_gold_case(entry("It coordinates 97 [1][2].", language="en", citations=cited))["kind"] == "mono"
    assert to_gold_case(entry("It coordinates 97 [1].", language="en", citations=cited[:1]))["kind"] == "cross"


def test_must_has_one_group_per_distinct_standalone_number() -> None:
    text = "En 2024, 1,5 million d’euros [1] : 1er rang, unité U1059, 2024 encore, 20 000 ou 20000 [2]."
    must = to_gold_case(entry(text))["must"]
    assert must == [[r"\b2024\b"], [r"\b1,5\b"], [r"\b20\s?000\b"], [r"\b20000\b"]]
    assert answer_correct(text, must)


def test_evidence_is_the_first_best_matching_sentence_of_the_first_cited_passage() -> None:
    first = citation(
        "Un bureau à Bruxelles. Le bureau de Washington suit les partenariats. Washington aussi. "
        "Le bureau de Washington suit les partenariats au Canada."
    )
    second = citation("Le bureau de Washington suit tous les partenariats avec les États-Unis.", n=2)
    case = to_gold_case(entry("Le bureau de Washington suit les partenariats [1][2].", citations=[first, second]))
    assert case["evidence"] == "Le bureau de Washington suit les partenariats."


def test_export_can_keep_only_thumbs_up(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    up = store.record(["Combien ?"], answer("97 [1]."), "up")
    store.record(["Où ?"], answer("À Paris [1]."), "down")
    out = tmp_path / "up.jsonl"

    assert store.export(out, rating="up") == 1
    assert [c.id for c in load_gold(out)] == [f"feedback-{up}"]


def test_export_replaces_the_old_file_in_one_step(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "db" / "feedback.sqlite3")
    first = store.record(["Combien ?"], answer("97 [1]."), "up")
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "feedback.jsonl"
    out.write_text('{"id": "old"}\n' * 3, encoding="utf-8")
    old_inode = out.stat().st_ino

    assert store.export(out) == 1

    assert [c.id for c in load_gold(out)] == [f"feedback-{first}"]
    assert '"old"' not in out.read_text(encoding="utf-8")
    assert out.stat().st_ino != old_inode  # a new file moved into place, not the old one rewritten
    assert [p.name for p in exports.iterdir()] == ["feedback.jsonl"]


def test_a_failed_export_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "db" / "feedback.sqlite3")
    store.record(["Combien ?"], answer("97 [1]."), "up")
    exports = tmp_path / "exports"
    (exports / "feedback.jsonl").mkdir(parents=True)  # a folder cannot be replaced by a file

    with pytest.raises(OSError):
        store.export(exports / "feedback.jsonl")

    assert [p.name for p in exports.iterdir()] == ["feedback.jsonl"]


def test_cli_exports_the_feedback_it_finds_in_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ui.cli import main

    database = tmp_path / "feedback.sqlite3"
    monkeypatch.setenv("ASSISTANT_UI__FEEDBACK_DB", str(database))
    assert main(["export-feedback", str(tmp_path / "none.jsonl")]) == 2
    assert "no feedback yet" in capsys.readouterr().err
    FeedbackStore(database).record(["Combien ?"], answer("Inserm coordonne 97 projets [1]."), "up")
    assert main(["export-feedback", str(tmp_path / "cases.jsonl"), "--rating", "up"]) == 0
    assert [case.id for case in load_gold(tmp_path / "cases.jsonl")] == ["feedback-1"]
