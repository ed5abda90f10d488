"""The committed gold set agrees with the source texts, and the checker catches cases that do not."""

from __future__ import annotations

import json
from pathlib import Path

from evals.data.check_gold import check

EVIDENCE = "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024)."


def _case(
    case_id: str, kind: str, lang: str, question: str, must: list[list[str]], evidence: str | None
) -> dict[str, object]:
    return {"id": case_id, "kind": kind, "lang": lang, "turns": [question], "must": must, "evidence": evidence}


def _check(tmp_path: Path, *cases: dict[str, object]) -> list[str]:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases), encoding="utf-8")
    return check(gold)


def test_every_committed_gold_case_checks_out() -> None:
    assert check() == []


def test_the_checker_names_each_broken_case(tmp_path: Path) -> None:
    problems = _check(
        tmp_path,
        _case("ok", "cross", "en", "How many?", [["\\b97\\b"]], EVIDENCE),
        _case("wrong-figure", "cross", "en", "How many?", [["\\b98\\b"]], EVIDENCE),
        _case("wrong-text", "cross", "fr", "Combien ?", [["\\b97\\b"]], EVIDENCE),  # French text, French question
        _case("heading", "mono", "fr", "Quoi ?", [["divers"]], "Des partenariats nombreux et diversifiés"),
        _case("echo", "cross", "en", "Is it 97?", [["\\b97\\b"]], EVIDENCE),
        _case("unfolded", "cross", "en", "How many?", [["\\b97\\b"], ["Coordonne"]], EVIDENCE),
        _case("unanswerable", "unanswerable", "en", "Budget?", [], EVIDENCE),
    )
    assert problems == [
        "wrong-figure: must group ['\\\\b98\\\\b'] does not match the evidence's paragraph",
        "wrong-text: evidence not found in one paragraph or list item of the en text",
        "heading: evidence not found in one paragraph or list item of the fr text",
        "echo: the question alone passes its own must groups",
        "unfolded: pattern 'Coordonne' is not in folded form",
        "unfolded: must group ['Coordonne'] does not match the evidence's paragraph",
        "unanswerable: an unanswerable case has must [] and evidence null",
        "unanswerable: must and evidence are both given or both empty",
    ]


def test_a_mixed_case_may_take_a_group_from_the_other_text(tmp_path: Path) -> None:
    must = [["\\b97\\b"], ["horizon 2020"]]
    problems = _check(
        tmp_path,
        _case("v2-mix-01", "mono", "fr", "Combien ?", must, EVIDENCE),
        _case("plain", "mono", "fr", "Combien ?", must, EVIDENCE),
        _case("v2-mix-02", "mono", "fr", "Combien ?", [["\\b97\\b"], ["absent"]], EVIDENCE),
    )
    assert problems == [
        "plain: must group ['horizon 2020'] does not match the evidence's paragraph",
        "v2-mix-02: must group ['absent'] does not match the evidence's paragraph",
    ]


def test_keys_must_be_exactly_the_six(tmp_path: Path) -> None:
    case = {**_case("a", "unanswerable", "en", "?", [], None), "note": "x"}
    assert _check(tmp_path, case) == [
        "line 1: keys must be exactly ['evidence', 'id', 'kind', 'lang', 'must', 'turns'], and off_topic if wanted"
    ]
