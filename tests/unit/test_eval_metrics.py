"""The eval metrics are pure functions: checked on small hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.translations import TranslationMemory
from evals.gold import load_gold
from evals.metrics.abstention import abstention_precision, abstention_recall
from evals.metrics.citations import citation_precision, markers_resolve
from evals.metrics.correctness import answer_correct
from evals.metrics.faithfulness import Judge, faithfulness, judged_faithfulness, statements
from evals.metrics.language import language_match
from evals.metrics.retrieval import evidence_rank, hit_at, reciprocal_rank
from evals.report import markdown, to_html
from evals.run import content_words


def test_the_committed_gold_set_is_valid_and_covers_every_kind() -> None:
    cases = load_gold()
    assert len(cases) >= 80
    assert {c.kind for c in cases} == {"mono", "cross", "followup", "unanswerable", "injection"}
    assert {c.lang for c in cases} == {"fr", "en"}


def test_a_broken_gold_line_is_named(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "kind": "mono", "lang": "de", "turns": ["?"], "must": [], "evidence": null}\n')
    with pytest.raises(ValueError, match=r"gold.jsonl:1: lang must be fr or en"):
        load_gold(gold)


def test_only_an_unanswerable_case_can_be_off_topic(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    line = '{"id": "a", "kind": "mono", "lang": "fr", "turns": ["?"], "must": [], "evidence": "x", "off_topic": true}'
    gold.write_text(line + "\n")
    with pytest.raises(ValueError, match=r"gold.jsonl:1: off_topic .* only for an unanswerable case"):
        load_gold(gold)
    gold.write_text(line.replace('"x"', "null").replace('"mono"', '"unanswerable"') + "\n")
    assert load_gold(gold)[0].off_topic


def test_the_committed_unanswerable_cases_are_both_on_and_off_topic() -> None:
    unanswerable = [c for c in load_gold() if not c.answerable]
    assert {c.off_topic for c in unanswerable} == {True, False}


def test_correctness_needs_every_group_and_ignores_case_and_accents() -> None:
    must = [["\\b97\\b"], ["horizon europe", "horizon 2020"]]
    assert answer_correct("L’Inserm coordonne 97 projets HORIZON Europe [1].", must)
    assert not answer_correct("L’Inserm coordonne 197 projets Horizon Europe.", must)
    assert answer_correct("Coordination assurée par Eric Gilson", [["éric gilson"]])


def test_evidence_rank_ignores_case_accents_and_spaces() -> None:
    passages = ["Autre chose.", "L’Inserm participe à\u00a0212 projets  Horizon Europe et en coordonne 97."]
    assert evidence_rank(passages, "l’inserm participe a 212 projets horizon europe") == 2
    assert evidence_rank(passages, "absent") is None
    assert (hit_at(2, 1), hit_at(2, 3), reciprocal_rank(2), reciprocal_rank(None)) == (False, True, 0.5, 0.0)


def test_citations_and_markers() -> None:
    assert citation_precision(["has the evidence here", "other"], "the evidence") == 0.5
    assert citation_precision([], "x") is None
    assert markers_resolve("A [1]. B [3].", [1, 2]) == 0.5
    assert markers_resolve("No markers.", [1]) is None


def test_faithfulness_counts_supported_sentences() -> None:
    cited = {1: "L’Inserm participe à 212 projets Horizon Europe et en coordonne 97."}
    assert faithfulness("Here is what the sources say:\n- Inserm coordinates 97 projects [1].", cited) == 1.0
    assert faithfulness("Inserm coordinates 97 projects [1]. It has 500 offices [1].", cited) == 0.5
    assert faithfulness("Inserm coordinates 97 projects [1].", cited, lambda s, texts: 0.5) == 0.0
    assert faithfulness("", cited) is None
    # Numbers in words count on both sides, as in the assistant's own check.
    approximate = {1: "Chaque année, l’Inserm retient une trentaine de propositions."}
    assert faithfulness("Every year, Inserm selects about 30 proposals [1].", approximate) == 1.0
    assert faithfulness("Every year, Inserm selects a dozen proposals [1].", approximate) == 0.0


def test_faithfulness_reads_content_words_through_the_translation_memory(tmp_path: Path) -> None:
    """An invented procedure holds no number or name; its words are what the cited passage lacks."""
    sentence = "Ces appels sont ouverts à toutes les équipes de l’Inserm."
    memory = TranslationMemory(tmp_path / "translations.json")
    memory.add(sentence, "en", "These calls are open to all Inserm teams.")
    citation = {"n": 1, "section": "Appels", "language": "fr", "text": sentence}
    words = content_words([citation], "en", memory)
    cited = {1: sentence}
    assert faithfulness("These calls are open to all Inserm teams [1].", cited, words=words) == 1.0
    assert faithfulness("To apply, send a letter to the Washington office [1].", cited, words=words) == 0.0
    # Without the memory, the English words cannot be compared with the French passage: left to the facts.
    untranslated = content_words([citation], "en", TranslationMemory(tmp_path / "none.json"))
    assert faithfulness("To apply, send a letter to the Washington office [1].", cited, words=untranslated) == 1.0


def test_statements_are_the_answer_sentences_with_their_markers() -> None:
    answer = "Sources say:\n- Inserm coordinates 97 projects [1].\n- It has offices in Brussels [1][2]."
    assert statements(answer) == [("Inserm coordinates 97 projects.", [1]), ("It has offices in Brussels.", [1, 2])]


def scripted_judge(reply: str, asked: list[str]) -> Judge:
    """A judge that gives `reply` and keeps each prompt it was sent in `asked`."""

    def judge(messages: list[dict[str, str]], max_tokens: int) -> str:
        asked.append(messages[0]["content"])
        return reply

    return judge


def every_passage(statement: str, passages: list[str]) -> list[str]:
    return passages


def test_judged_faithfulness_reads_one_verdict_per_statement() -> None:
    cited = {1: "L’Inserm participe à 212 projets Horizon Europe.", 2: "Un bureau à Bruxelles."}
    asked: list[str] = []
    judge = scripted_judge("1: yes\n2: NO", asked)
    answer = "Inserm takes part in 212 projects [1]. It has 500 offices [2]. Nothing cited here."
    assert judged_faithfulness(answer, cited, judge, every_passage) == pytest.approx(1 / 3)  # the skipped one fails
    assert "- L’Inserm participe à 212 projets Horizon Europe." in asked[0]
    assert "3: Nothing cited here." in asked[0]
    assert judged_faithfulness("", cited, judge, every_passage) is None
    assert len(asked) == 1  # nothing to judge: the judge is not called


def test_judged_faithfulness_counts_a_word_for_word_copy_as_stated_without_asking() -> None:
    cited = {
        1: "Le bureau de Washington couvre les États-Unis et le Canada.\n- U1111, Lyon + Université Laval, Québec."
    }
    asked: list[str] = []
    judge = scripted_judge("1: no\n2: no", asked)
    copied = "Voici :\n- U1111, Lyon + Université Laval, Québec [1].\n- " + cited[1].split("\n")[0][:-1] + " [1]."
    assert judged_faithfulness(copied, cited, judge, every_passage) == 1.0
    assert asked == []  # every statement is a copy: no judge call
    # Part of a sentence may leave out what changes its meaning: it is judged, as is anything else.
    partial = "U1111, Lyon + Université Laval, Québec [1]. Le bureau de Washington couvre les États-Unis [1]."
    assert judged_faithfulness(partial, cited, judge, every_passage) == 0.5
    statements_shown = asked[0].split("Statements:")[1]
    assert "1: Le bureau de Washington couvre les États-Unis." in statements_shown and "U1111" not in statements_shown


def test_abstention_precision_and_recall() -> None:
    abstained, unanswerable = [True, True, False, False], [True, False, True, False]
    assert abstention_precision(abstained, unanswerable) == 0.5
    assert abstention_recall(abstained, unanswerable) == 0.5


def test_language_match_judges_the_whole_answer() -> None:
    quoted = (
        "Here is what the sources say (quoted in their original language):\n"
        "- L’Inserm participe à 212 projets Horizon Europe et en coordonne 97 (rapport d’activité 2024) [1].\n"
        "- L’Institut est le 1er récipiendaire mondial pour les appels à projets du cluster Santé [1]."
    )
    translated = "Inserm takes part in 212 Horizon Europe projects and coordinates 97 of them [1]."
    assert language_match(quoted, "fr") and not language_match(quoted, "en")
    assert language_match(translated, "en")


def test_report_renders_tables_and_charts() -> None:
    overall = {"cases": 2, "hit@1": 0.5, "hit@3": 1.0, "hit@5": 1.0, "mrr": 0.75, "correct": 0.5}
    run = {
        "name": "extractive",
        "overall": overall,
        "by": {"lang=fr": overall},
        "baselines": {"dense only": {"hit@1": 0.5, "hit@3": 0.5, "hit@5": 1.0, "mrr": 0.6}},
    }
    text = markdown([run])
    assert "| hit@5 | 1.000 |" in text and "| dense only | 0.500 |" in text
    page = to_html(text, [run])
    assert "<table>" in page and "<svg" in page and "<td>0.750</td>" in page


def test_report_says_which_judged_runs_left_copies_to_the_rule() -> None:
    overall = {"cases": 1, "faithfulness_llm": 0.9}
    before = {"name": "stop45", "judge": "local", "overall": overall, "by": {}, "baselines": {}}
    after = {**before, "name": "stop46", "judge_skips_copies": True}
    lines = markdown([before, after]).splitlines()
    assert "`faithfulness_llm` of stop45: judged by the `local` LLM, statement by statement." in lines
    assert any(line.startswith("`faithfulness_llm` of stop46:") and "copied word for word" in line for line in lines)
