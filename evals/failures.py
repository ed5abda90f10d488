"""Failures case by case: which checks a case failed, the report's "Failed cases" section, and the
cases that changed between two runs (`python -m evals compare`).

Everything is read from a run's metrics.json (per-case scores) and predictions.jsonl, and from the
gold set for what the case asks and expects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from evals.gold import Case
from evals.metrics.retrieval import contains
from evals.uncertainty import sign_test

Score = Mapping[str, Any]

# A case passes when it fails none of these; the name is what the report and compare print.
CHECKS: dict[str, Callable[[Score], bool]] = {
    "not correct": lambda s: s["answerable"] and not s["abstained"] and s["correct"] is False,
    "wrongly abstained": lambda s: s["answerable"] and s["abstained"],
    "did not abstain": lambda s: not s["answerable"] and not s["abstained"],
    "language": lambda s: s["language_match"] is False,
    "faithfulness": lambda s: s["faithfulness"] is not None and s["faithfulness"] < 1,
    "citation missing evidence": lambda s: s.get("evidence_cited") is False,
}
PASSAGE_CHARS = 300  # passages are cut to this in the report, so that a failure reads at a glance
ANSWER_CHARS = 800


def failed_checks(score: Score) -> list[str]:
    return [name for name, failed in CHECKS.items() if failed(score)]


def _short(text: str, limit: int) -> str:
    flat = " / ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def failed_cases(
    run: Mapping[str, Any], predictions: Mapping[str, Mapping[str, Any]], gold: Mapping[str, Case]
) -> list[str]:
    """The Markdown section listing every failed case of `run`, with what is needed to see why."""
    scores = run["cases"]
    failed = [(s, checks) for s in scores if (checks := failed_checks(s))]
    lines = [
        f"## {run['name']}: failed cases ({len(failed)} of {len(scores)}, split {run.get('split', 'all')})",
        "",
    ]
    for score, checks in failed:
        lines += [f"### {score['id']} ({score['kind']}, {score['lang']}): {', '.join(checks)}", ""]
        lines += _case_lines(score, predictions.get(score["id"]), gold.get(score["id"]))
        lines.append("")
    return lines


def _case_lines(score: Score, prediction: Mapping[str, Any] | None, case: Case | None) -> list[str]:
    lines = []
    if case is not None:
        turns = case.turns
        lines += (
            [f"- Turn {i}: {t}" for i, t in enumerate(turns, start=1)]
            if len(turns) > 1
            else [f"- Question: {turns[0]}"]
        )
        if case.must:
            lines.append("- Expected (every group): " + " · ".join(f"`{'` or `'.join(group)}`" for group in case.must))
        lines.append(
            f"- Evidence: {_short(case.evidence, PASSAGE_CHARS)}" if case.evidence else "- Expected: no answer"
        )
    elif prediction is not None:
        lines.append(f"- Question: {prediction['question']} (no longer in the gold file)")
    if prediction is None:
        return [*lines, "- No predictions.jsonl in this run: answer and passages unknown"]
    lines.append(f"- Answer ({prediction['responder']}): {_short(prediction['answer'], ANSWER_CHARS)}")
    evidence = case.evidence if case is not None else None
    rank = score["rank"]
    where = "" if evidence is None else f", evidence at rank {rank}" if rank else ", evidence missing from retrieval"
    lines.append(f"- Retrieved (top {len(prediction['retrieved'])}{where}):")
    for n, passage in enumerate(prediction["retrieved"], start=1):
        mark = " ← evidence" if n == rank else ""
        lines.append(f"  {n}. ({passage['similarity']:.3f}){mark} {_short(passage['text'], PASSAGE_CHARS)}")
    if "shown" not in prediction:
        return lines  # a run made before predictions kept it
    if not prediction["shown"]:
        lines.append("- The responder was shown nothing")  # the chain abstained before it ran
    elif evidence is not None:
        # whether the responder read the evidence: a miss here is selection, a hit is generation
        shown = any(contains(p["text"], evidence) for p in prediction["shown"])
        lines.append(f"- Evidence in what the responder was shown: {'yes' if shown else 'no'}")
    return lines


def changed_cases(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The cases `before` failed and `after` passes (fixed), and the other way round (broken), with the chance
    that a change which does nothing splits them as unevenly (`evals.uncertainty.sign_test`)."""
    was = {s["id"]: failed_checks(s) for s in before["cases"]}
    now = {s["id"]: failed_checks(s) for s in after["cases"]}
    common = [i for i in now if i in was]
    fixed = [f"  fixed   {i}: was {', '.join(was[i])}" for i in common if was[i] and not now[i]]
    broken = [f"  broken  {i}: now {', '.join(now[i])}" for i in common if now[i] and not was[i]]
    chance = sign_test(len(fixed), len(broken))
    return [
        f"{before['name']} → {after['name']}: {len(fixed)} fixed, {len(broken)} broken "
        f"(of {len(common)} cases in both runs; sign test p = {chance:.2f})",
        *fixed,
        *broken,
    ]
