"""Command line of the evals: split, run, calibrate, report, compare, readings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.settings import RESPONDER_NAMES, Settings, load_settings
from evals.gold import DEFAULT_GOLD, load_gold
from evals.metrics.faithfulness import Judge
from evals.split import DEFAULT_SPLIT, SPLITS, select, strata_table, write_split

REPORTS = Path(__file__).resolve().parent / "reports"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals")
    commands = parser.add_subparsers(dest="command", required=True)
    split = commands.add_parser("split", help="assign the gold cases not yet in the split file to dev or test")
    split.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    split.add_argument("--out", type=Path, default=DEFAULT_SPLIT)
    run = commands.add_parser("run", help="answer and score the gold cases")
    run.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    run.add_argument("--split", choices=SPLITS, default="all", help="the half of the gold set to answer (default: all)")
    run.add_argument("--split-file", type=Path, default=DEFAULT_SPLIT)
    run.add_argument("--responder", choices=RESPONDER_NAMES)
    run.add_argument("--out", type=Path, help="default: evals/reports/<responder>")
    run.add_argument("--no-baselines", action="store_true", help="skip the retrieval baselines")
    run.add_argument("--rescore", action="store_true", help="score the answers already in --out again")
    run.add_argument(
        "--judge",
        choices=("auto", "none", "local", "openai"),
        default="auto",
        help="the LLM that also judges faithfulness (auto: the responder's own LLM, if it has one)",
    )
    calibrate = commands.add_parser("calibrate", help="choose the abstention threshold on the gold set")
    calibrate.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    calibrate.add_argument("--out", type=Path, default=REPORTS / "calibration.json")
    report = commands.add_parser("report", help="write report.md and report.html, with every failed case")
    report.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="what the failed cases asked and expected")
    compare = commands.add_parser("compare", help="print runs side by side, and the cases fixed or broken")
    for command in (report, compare):
        command.add_argument("runs", nargs="+", type=Path, help="folders holding a metrics.json")
    readings = commands.add_parser("readings", help="score how the rules read questions, on labelled questions")
    readings.add_argument("names", nargs="*", help="kinds, answers, followups (default: all)")
    readings.add_argument("--questions", type=Path, help="labelled questions for the one reading named")
    readings.add_argument("--out", type=Path, default=REPORTS / "readings.json")
    args = parser.parse_args(argv)
    try:
        if args.command == "readings":
            from evals.readings import READINGS, load_labelled, score_reading

            names = args.names or list(READINGS)
            if unknown := set(names) - set(READINGS):
                raise ValueError(f"no reading named {', '.join(sorted(unknown))}: choose among {', '.join(READINGS)}")
            if args.questions and len(names) != 1:
                raise ValueError("--questions needs exactly one reading named")
            scores = {}
            for name in names:
                read, label, path = READINGS[name]
                scores[name] = score_reading(load_labelled(args.questions or path), read, label)
                for half, score in scores[name].items():
                    print(f"{name} {half}: {score['accuracy']:.3f} of {score['questions']} read as labelled")
            args.out.write_text(json.dumps(scores, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"wrote {args.out}")
            return 0
        if args.command in ("report", "compare"):
            from evals.report import compare as compare_runs
            from evals.report import load, write_report

            if args.command == "report":
                print(f"wrote {write_report(args.runs, args.gold)}")
            else:
                print("\n".join(compare_runs([load(r) for r in args.runs])))
            return 0
        cases = load_gold(args.gold)
        if args.command == "split":
            print("\n".join(strata_table(cases, write_split(cases, args.out))))
            print(f"wrote {args.out}")
            return 0
        from assistant.answering.chain import Assistant

        settings = load_settings()
        if args.command == "calibrate":
            from evals.calibrate import calibrate as run_calibration

            result = run_calibration(Assistant.from_settings(settings, responder="extractive"), cases)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            print(json.dumps(result["chosen"], indent=2))
            return 0
        from evals.run import run as run_evals

        assistant = Assistant.from_settings(settings, responder=args.responder)
        metrics = run_evals(
            assistant,
            select(cases, args.split, args.split_file),
            args.out or REPORTS / assistant.responder.name,
            with_baselines=not args.no_baselines,
            rescore=args.rescore,
            judge=_judge(args.judge, assistant, settings),
            judge_name=assistant.responder.name if args.judge == "auto" else args.judge,
            split=args.split,
        )
        print(json.dumps(metrics["overall"], indent=2))
        return 0
    except (AssistantError, ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _judge(name: str, assistant: Any, settings: Settings) -> Judge | None:
    """The chat completion of the judging LLM; the responder's own when it is that LLM."""
    if name == "none" or (name == "auto" and not hasattr(assistant.responder, "complete")):
        return None
    if name == "auto" or name == assistant.responder.name:
        return assistant.responder.complete
    from assistant.answering.responders import make_responder

    return make_responder(name, settings.llm, assistant.retriever.embedder, settings.data_dir).complete  # type: ignore[attr-defined]
