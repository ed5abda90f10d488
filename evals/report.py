"""Reports: Markdown and HTML (tables, bar charts, every failed case) from one or more runs' folders.

python -m evals report RUN_DIR [RUN_DIR ...]      # writes report.md and report.html beside the first
python -m evals compare RUN_DIR [RUN_DIR ...]     # prints runs side by side, and the cases that changed
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.failures import changed_cases, failed_cases
from evals.gold import DEFAULT_GOLD, Case, load_gold
from evals.uncertainty import INTERVALS, intervals

HEADLINE = [
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "correct",
    "citation_precision",
    "evidence_cited",
    "markers_resolve",
    "faithfulness",
    "faithfulness_llm",
    "language_match",
    "unanswerable_abstained",
    "answerable_abstained",
    "abstention_precision",
    "latency_p50_s",
    "latency_p95_s",
]
CHARTED = ["hit@5", "mrr", "correct", "faithfulness", "unanswerable_abstained"]


def load(run: Path) -> dict[str, Any]:
    metrics: dict[str, Any] = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    metrics.setdefault("name", run.name)
    return metrics


def load_predictions(run: Path) -> dict[str, dict[str, Any]]:
    """A run's answers by case id; none when only its metrics.json was kept."""
    path = run / "predictions.jsonl"
    if not path.exists():
        return {}
    return {p["id"]: p for p in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def _cell(value: object) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in rows
    ]


def compare_table(runs: Sequence[dict[str, Any]]) -> list[str]:
    """The headline metrics side by side; a run made before the split answered every case (`all`)."""
    rows: list[list[object]] = [
        ["split", *[r.get("split", "all") for r in runs]],
        ["cases", *[r["overall"]["cases"] for r in runs]],
    ]
    rows += [[m, *[r["overall"].get(m) for r in runs]] for m in HEADLINE]
    return _table(["metric", *[r["name"] for r in runs]], rows)


def interval_table(runs: Sequence[dict[str, Any]]) -> list[str]:
    """The goals' rates with their 95 % interval and the number of cases each is over: what a gain must
    exceed to be more than chance."""
    spans = [intervals(r.get("cases", [])) for r in runs]
    rows = [[metric, *[_interval(s[metric]) for s in spans]] for metric in INTERVALS]
    return _table(["metric (95 % interval, cases)", *[r["name"] for r in runs]], rows)


def _interval(span: tuple[float, int, float, float] | None) -> str:
    if span is None:
        return "–"
    value, n, low, high = span
    return f"{value:.3f} ({low:.3f}–{high:.3f}, n={n})"


def compare(runs: Sequence[dict[str, Any]]) -> list[str]:
    """The runs side by side, then the cases each run fixed or broke against the first."""
    lines = [*compare_table(runs), "", *interval_table(runs)]
    for other in runs[1:]:
        lines += ["", *changed_cases(runs[0], other)]
    return lines


def markdown(
    runs: Sequence[dict[str, Any]],
    predictions: Sequence[Mapping[str, Mapping[str, Any]]] = (),
    gold: Mapping[str, Case] | None = None,
) -> str:
    """The report; with `gold`, each run's failed cases too (with its `predictions`, when kept)."""
    lines = [
        "# Answer-quality evaluation",
        "",
        "Gold set: evals/data/gold.jsonl, or the half of it named by `split` (evals/data/split.json). "
        "Metrics are defined in evals/metrics/; `–` means the metric does not apply.",
        "",
        *[
            f"`faithfulness_llm` of {r['name']}: judged by the `{r['judge']}` LLM, statement by statement"
            + (
                " (a statement copied word for word from its cited passage counts as stated without asking it)."
                if r.get("judge_skips_copies")
                else "."
            )
            for r in runs
            if r.get("judge")
        ],
        "",
        "## Responders",
        "",
        *compare_table(runs),
        "",
        *interval_table(runs),
        "",
    ]
    for run in runs:
        lines += [f"## {run['name']}: by kind and language", ""]
        columns = HEADLINE[: HEADLINE.index("answerable_abstained") + 1]
        lines += _table(["group", *columns], [[g, *[s.get(m) for m in columns]] for g, s in run["by"].items()])
        lines.append("")
        if run.get("baselines"):
            lines += [f"## {run['name']}: retrieval against baselines (same queries)", ""]
            rows = [
                [
                    "ours (hybrid)",
                    run["overall"]["hit@1"],
                    run["overall"]["hit@3"],
                    run["overall"]["hit@5"],
                    run["overall"]["mrr"],
                ]
            ]
            rows += [
                [name, b["hit@1"], b["hit@3"], b.get("hit@5", b.get("hit@4")), b["mrr"]]
                for name, b in run["baselines"].items()
            ]
            lines += [*_table(["retrieval", "hit@1", "hit@3", "hit@5 (tutorial: @4)", "mrr"], rows), ""]
    if gold is not None:
        for run, answers in zip(runs, predictions or [{}] * len(runs), strict=True):
            lines += failed_cases(run, answers, gold)
    return "\n".join(lines) + "\n"


def _bars(runs: Sequence[dict[str, Any]]) -> str:
    """Horizontal bars per metric and run, as inline SVG (no plotting library needed)."""
    colors = ["#3b6ea5", "#d9822b", "#4d9a4d", "#a33b3b"]
    height = 18 * len(runs) + 10
    parts = []
    for metric in CHARTED:
        bars = []
        for i, run in enumerate(runs):
            value = run["overall"].get(metric) or 0.0
            y = 5 + 18 * i
            bars.append(
                f'<rect x="160" y="{y}" width="{300 * value:.1f}" height="14" fill="{colors[i % 4]}"/>'
                f'<text x="155" y="{y + 11}" text-anchor="end" font-size="11">{html.escape(run["name"])}</text>'
                f'<text x="{165 + 300 * value:.1f}" y="{y + 11}" font-size="11">{value:.2f}</text>'
            )
        parts.append(f"<h3>{html.escape(metric)}</h3><svg width='520' height='{height}'>{''.join(bars)}</svg>")
    return "".join(parts)


def to_html(markdown_text: str, runs: Sequence[dict[str, Any]]) -> str:
    body = []
    in_table = False
    for line in markdown_text.splitlines():
        if line.startswith("|"):
            cells = [html.escape(c.strip()) for c in line.strip("|").split("|")]
            if set("".join(cells)) <= set("-"):
                continue
            tag = "th" if not in_table else "td"
            body.append(
                ("<table>" if not in_table else "") + "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"
            )
            in_table = True
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("### "):
            body.append(f"<h3>{html.escape(line[4:])}</h3>")
        elif line:
            body.append(f"<p>{html.escape(line)}</p>")
    if in_table:
        body.append("</table>")
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:2em auto}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px;text-align:right}"
    )
    return (
        f"<!doctype html><meta charset='utf-8'><title>Evaluation</title><style>{style}</style>"
        + "".join(body)
        + "<h2>Charts</h2>"
        + _bars(runs)
    )


def write_report(run_dirs: Sequence[Path], gold: Path = DEFAULT_GOLD) -> Path:
    runs = [load(r) for r in run_dirs]
    out = run_dirs[0].parent
    text = markdown(runs, [load_predictions(r) for r in run_dirs], {c.id: c for c in load_gold(gold)})
    (out / "report.md").write_text(text, encoding="utf-8")
    (out / "report.html").write_text(to_html(text, runs), encoding="utf-8")
    return out / "report.md"
