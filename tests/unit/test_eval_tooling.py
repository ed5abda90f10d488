"""The eval tooling around the metrics: the dev/test split, failed cases, changed cases, the report.

Checked on small hand-made gold files, scores and predictions, and once end to end with the real
chain over a real Chroma and a text-derived embedder.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.chain import Assistant
from assistant.answering.responders import ExtractiveResponder
from assistant.lexicon import ANSWER_KINDS
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.store import ChunkStore
from assistant.settings import Settings
from evals.cli import main
from evals.failures import changed_cases, failed_cases, failed_checks
from evals.gold import Case, load_gold
from evals.metrics.citations import evidence_cited
from evals.readings import READINGS, load_labelled
from evals.report import compare, write_report
from evals.run import breakdown, closeness, run, summarize
from evals.split import DEFAULT_SPLIT, assign, load_split, select
from ingest.pipeline import ingest
from tests.helpers import CORPUS, FakeEmbedder

EVIDENCE = "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024)."


def case(id: str, kind: str = "mono", lang: str = "fr", evidence: str | None = EVIDENCE) -> Case:
    must = [["\\b97\\b"], ["horizon"]] if evidence else []
    # Not a "how many" question: the fake embedder's sentence ranking would make the count check abstain.
    return Case(id, kind, lang, ["Quels projets Horizon Europe l’Inserm coordonne-t-il ?"], must, evidence)


def gold_set() -> list[Case]:
    """5 strata of uneven sizes, one of them of a single case."""
    sizes = {("mono", "fr"): 7, ("mono", "en"): 4, ("cross", "en"): 5, ("followup", "fr"): 3, ("unanswerable", "en"): 1}
    return [case(f"{kind}-{lang}-{i:02}", kind, lang) for (kind, lang), n in sizes.items() for i in range(n)]


def halves_by_stratum(cases: list[Case], split: dict[str, list[str]]) -> Counter[tuple[str, str, str]]:
    half = {i: name for name in ("dev", "test") for i in split[name]}
    return Counter((c.kind, c.lang, half[c.id]) for c in cases)


def test_the_split_is_stratified_disjoint_complete_and_deterministic() -> None:
    cases = gold_set()
    split = assign(cases, {})
    assert sorted(split["dev"] + split["test"]) == sorted(c.id for c in cases)
    counts = halves_by_stratum(cases, split)
    for kind, lang in {(c.kind, c.lang) for c in cases}:
        assert abs(counts[kind, lang, "dev"] - counts[kind, lang, "test"]) <= 1
    assert abs(len(split["dev"]) - len(split["test"])) <= 1  # odd strata do not all lean the same way
    assert assign(list(reversed(cases)), {}) == split  # the order the cases are written in does not matter
    assert assign(cases, {}, seed=1) != split  # a seed does choose


def test_adding_cases_keeps_every_assigned_id_in_its_half_and_the_strata_balanced() -> None:
    cases = gold_set()
    before = assign(cases, {})
    added = [case(f"mono-fr-new-{i}") for i in range(5)] + [case("unanswerable-en-new", "unanswerable", "en")]
    after = assign(cases + added, before)
    assert set(before["dev"]) <= set(after["dev"]) and set(before["test"]) <= set(after["test"])
    counts = halves_by_stratum(cases + added, after)
    assert abs(counts["mono", "fr", "dev"] - counts["mono", "fr", "test"]) <= 1
    assert counts["unanswerable", "en", "dev"] == counts["unanswerable", "en", "test"] == 1
    # a case removed from the gold file leaves the split; the others stay put
    gone = before["dev"][0]
    assert assign([c for c in cases if c.id != gone], before) == {
        "dev": before["dev"][1:],
        "test": before["test"],
    }


def write_gold(path: Path, cases: list[Case]) -> Path:
    lines = [
        json.dumps(
            {"id": c.id, "kind": c.kind, "lang": c.lang, "turns": c.turns, "must": c.must, "evidence": c.evidence}
        )
        for c in cases
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_split_command_writes_then_only_extends_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold, out = write_gold(tmp_path / "gold.jsonl", gold_set()), tmp_path / "split.json"
    assert main(["split", "--gold", str(gold), "--out", str(out)]) == 0
    assert "mono          fr      4    3" in capsys.readouterr().out
    first = load_split(out)
    write_gold(gold, [*gold_set(), case("mono-fr-new")])
    assert main(["split", "--gold", str(gold), "--out", str(out)]) == 0
    second = load_split(out)
    assert second["test"] == sorted([*first["test"], "mono-fr-new"]) and second["dev"] == first["dev"]


def test_select_takes_one_half_in_gold_order_and_names_unassigned_cases(tmp_path: Path) -> None:
    cases = gold_set()
    path = tmp_path / "split.json"
    path.write_text(json.dumps(assign(cases, {})), encoding="utf-8")
    dev, test = select(cases, "dev", path), select(cases, "test", path)
    assert [c.id for c in dev] == [c.id for c in cases if c.id in {d.id for d in dev}]
    assert len(dev) + len(test) == len(cases) and select(cases, "all", path) == cases
    with pytest.raises(ValueError, match=r"1 gold cases are in neither half \(late\).*python -m evals split"):
        select([*cases, case("late")], "dev", path)
    path.write_text('{"dev": ["a"], "test": ["a"]}', encoding="utf-8")
    with pytest.raises(ValueError, match="ids in both halves: a"):
        select(cases, "test", path)


def test_the_committed_split_assigns_every_gold_case() -> None:
    split = load_split(DEFAULT_SPLIT)
    assigned = set(split["dev"]) | set(split["test"])
    missing = [c.id for c in load_gold() if c.id not in assigned]
    assert not missing, f"run `python -m evals split` to assign {missing}"


def score(id: str, **changes: Any) -> dict[str, Any]:
    """A passing answerable case's scores, changed as given."""
    base = {
        "id": id,
        "kind": "mono",
        "lang": "fr",
        "answerable": True,
        "off_topic": False,
        "abstained": False,
        "rank": 2,
        "correct": True,
        "citation_precision": 1.0,
        "evidence_cited": True,
        "markers_resolve": 1.0,
        "faithfulness": 1.0,
        "faithfulness_llm": None,
        "language_match": True,
        "seconds": 0.1,
    }
    return base | changes


def test_evidence_cited_is_scored_on_answers_not_abstentions() -> None:
    assert evidence_cited(["autre chose", f"Bruxelles.\n{EVIDENCE.upper()}"], EVIDENCE)  # folded, as retrieval
    assert not evidence_cited(["autre chose"], EVIDENCE) and not evidence_cited([], EVIDENCE)
    scores = [
        score("a"),
        score("b", evidence_cited=False),
        score("c", abstained=True, correct=False, evidence_cited=None),
        score("d", answerable=False, abstained=True, correct=None, evidence_cited=None, rank=None),
    ]
    assert summarize(scores)["evidence_cited"] == 0.5


def test_unanswerable_cases_are_also_reported_on_and_off_topic() -> None:
    unanswerable = {"answerable": False, "kind": "unanswerable", "correct": None, "rank": None, "evidence_cited": None}
    scores = [
        score("a"),
        score("on", **unanswerable, abstained=False),
        score("off", **unanswerable, off_topic=True, abstained=True),
    ]
    groups = breakdown(scores)
    assert groups["kind=unanswerable"]["unanswerable_abstained"] == 0.5
    assert groups["unanswerable=on-topic"]["unanswerable_abstained"] == 0.0
    assert groups["unanswerable=off-topic"]["unanswerable_abstained"] == 1.0
    assert "unanswerable=on-topic" not in breakdown([score("a"), score("i", kind="injection", answerable=False)])


def test_each_failed_check_is_named() -> None:
    assert failed_checks(score("ok")) == []
    assert failed_checks(score("x", correct=False, evidence_cited=False)) == [
        "not correct",
        "citation missing evidence",
    ]
    assert failed_checks(score("x", abstained=True, correct=False, evidence_cited=None)) == ["wrongly abstained"]
    unanswered = score("x", answerable=False, correct=None, evidence_cited=None, language_match=False, faithfulness=0.5)
    assert failed_checks(unanswered) == ["did not abstain", "language", "faithfulness"]
    assert failed_checks(score("x", answerable=False, abstained=True, correct=None, evidence_cited=None)) == []


def prediction(id: str, answer: str, shown: list[str]) -> dict[str, Any]:
    retrieved = ["Autre passage. " * 40, f"Bruxelles. {EVIDENCE}", "Troisième.", "Quatrième.", "Cinquième."]
    return {
        "id": id,
        "question": "Combien de projets Horizon Europe ?",
        "answer": answer,
        "responder": "scripted",
        "retrieved": [{"text": t, "similarity": 0.9 - n / 100} for n, t in enumerate(retrieved)],
        "shown": [{"n": n, "text": t} for n, t in enumerate(shown, start=1)],
    }


def test_the_failed_cases_section_shows_why_each_case_failed() -> None:
    follow_up = Case(
        "fu", "followup", "en", ["Tell me about Brussels.", "How many does it coordinate?"], [["\\b97\\b"]], EVIDENCE
    )
    gold = {"ok": case("ok"), "wrong": case("wrong"), "fu": follow_up, "un": case("un", "unanswerable", "en", None)}
    run_metrics = {
        "name": "scripted",
        "split": "dev",
        "cases": [
            score("ok"),
            score("wrong", correct=False, evidence_cited=False),
            score("fu", kind="followup", lang="en", abstained=True, correct=False, evidence_cited=None, rank=None),
            score("un", kind="unanswerable", lang="en", answerable=False, correct=None, evidence_cited=None, rank=None),
        ],
    }
    predictions = {
        "wrong": prediction("wrong", "L’Inserm coordonne 212 projets [1].\n- Autre [2].", ["Autre passage."]),
        "fu": prediction("fu", "I don't know: the answer is not in my sources.", []),
        "un": prediction("un", "500 offices [1].", ["Autre passage."]),
    }
    text = "\n".join(failed_cases(run_metrics, predictions, gold))
    assert text.startswith("## scripted: failed cases (3 of 4, split dev)")
    assert "### ok" not in text
    assert "### wrong (mono, fr): not correct, citation missing evidence" in text
    assert "- Expected (every group): `\\b97\\b` · `horizon`" in text
    assert "- Answer (scripted): L’Inserm coordonne 212 projets [1]. / - Autre [2]." in text
    assert "- Retrieved (top 5, evidence at rank 2):" in text and "  2. (0.890) ← evidence Bruxelles. L’Inserm" in text
    assert "- Evidence in what the responder was shown: no" in text  # a selection failure
    assert len(text.split("  1. (0.900) ")[1].split("\n")[0]) <= 300  # long passages are cut
    assert "### fu (followup, en): wrongly abstained" in text
    assert "- Turn 1: Tell me about Brussels.\n- Turn 2: How many does it coordinate?" in text
    assert "evidence missing from retrieval" in text and "- The responder was shown nothing" in text
    unanswerable = "### un (unanswerable, en): did not abstain\n\n"
    unanswerable += "- Question: Quels projets Horizon Europe l’Inserm coordonne-t-il ?\n"
    assert unanswerable + "- Expected: no answer" in text
    assert "No predictions.jsonl" not in text
    assert "No predictions.jsonl in this run" in "\n".join(failed_cases(run_metrics, {}, gold))


def test_changed_cases_lists_fixed_and_broken_cases_with_their_checks() -> None:
    before = {"name": "a", "cases": [score("1", correct=False), score("2"), score("3"), score("only-a", correct=False)]}
    after = {"name": "b", "cases": [score("1"), score("2", language_match=False), score("3"), score("only-b")]}
    assert changed_cases(before, after) == [
        "a → b: 1 fixed, 1 broken (of 3 cases in both runs; sign test p = 1.00)",
        "  fixed   1: was not correct",
        "  broken  2: now language",
    ]


@pytest.fixture
def assistant(settings: Settings) -> Assistant:
    embedder = FakeEmbedder()
    settings.retrieval.min_similarity = 0.0  # the fake embedder's cosines are not e5's
    store = ChunkStore.open(settings)
    ingest([CORPUS], settings, embedder, store)
    extractive = ExtractiveResponder(embedder)
    return Assistant(settings, HybridRetriever(store, embedder, settings.retrieval), extractive, extractive)


def test_a_run_records_its_split_and_what_was_shown_and_the_report_lists_its_failures(
    assistant: Assistant, tmp_path: Path
) -> None:
    cases = [case("horizon"), case("impossible", evidence="Un passage qui n’existe pas dans les sources.")]
    metrics = run(assistant, cases, tmp_path / "fake", with_baselines=False, split="dev")
    assert metrics["split"] == "dev" and metrics["overall"]["cases"] == 2
    predictions = [json.loads(line) for line in (tmp_path / "fake" / "predictions.jsonl").read_text().splitlines()]
    shown = predictions[0]["shown"]
    assert [p["n"] for p in shown] == list(range(1, assistant.settings.retrieval.top_k + 1))  # extractive reads all
    assert all(p["text"] for p in shown) and any("en coordonne 97" in p["text"] for p in shown)
    assert metrics["cases"][1]["evidence_cited"] is False  # the evidence is nowhere to cite
    gold = write_gold(tmp_path / "gold.jsonl", cases)
    report = write_report([tmp_path / "fake"], gold).read_text(encoding="utf-8")
    assert "| split | dev |" in report and f"| evidence_cited | {metrics['overall']['evidence_cited']:.3f} |" in report
    assert "### impossible (mono, fr): " in report and "evidence missing from retrieval" in report
    assert "<h3>impossible (mono, fr): " in (tmp_path / "report.html").read_text(encoding="utf-8")
    listing = "\n".join(compare([metrics | {"name": "one"}, metrics | {"name": "two"}]))
    assert (
        "| split | dev | dev |" in listing
        and "one → two: 0 fixed, 0 broken (of 2 cases in both runs; sign test p = 1.00)" in listing
    )
    assert "| evidence_cited | 0.500 (0.095–0.905, n=2) | 0.500 (0.095–0.905, n=2) |" in listing
    assert "| unanswerable_abstained | – | – |" in listing  # no unanswerable case: no rate


def test_faithfulness_reads_a_quoted_list_item_against_its_own_line() -> None:
    """Next to a whole passage, a short item it lists looks unsupported; next to its own line, it is not."""
    similarity = closeness(FakeEmbedder())
    passage = "Il associe, autour du vieillissement en bonne santé, des chercheurs :\n- de l'hôpital Ruijin à Shanghai,"
    assert similarity("de l'hôpital Ruijin à Shanghai,", [passage]) == pytest.approx(1.0)
    assert similarity("une autre ville lointaine", [passage]) < 0.5


def test_the_readings_command_scores_each_half_and_lists_the_misread_questions(tmp_path: Path) -> None:
    labelled = tmp_path / "kinds.jsonl"
    rows = [
        {"question": "Qui coordonne InterAging ?", "lang": "fr", "kind": "person", "split": "dev"},
        {"question": "How many Joint Labs are there?", "lang": "en", "kind": "count", "split": "dev"},
        {"question": "Tell me about the PCTs.", "lang": "en", "kind": "date", "split": "test"},
    ]
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "readings.json"
    assert main(["readings", "kinds", "--questions", str(labelled), "--out", str(out)]) == 0
    scores = json.loads(out.read_text(encoding="utf-8"))["kinds"]
    assert (scores["dev"]["accuracy"], scores["test"]["accuracy"]) == (1.0, 0.0)
    assert scores["test"]["misread"] == [{"question": "Tell me about the PCTs.", "kind": "date", "read": None}]


@pytest.mark.parametrize("name", ["kinds", "answers", "followups"])
def test_the_committed_labelled_questions_have_known_labels_in_both_halves_and_languages(name: str) -> None:
    _, label, path = READINGS[name]
    labelled = load_labelled(path)
    known = set(ANSWER_KINDS) | {None} if name == "kinds" else {True, False}
    assert {q[label] for q in labelled} <= known
    assert {q["split"] for q in labelled} == {"dev", "test"}
    assert {q["lang"] for q in labelled} == {"fr", "en"}
