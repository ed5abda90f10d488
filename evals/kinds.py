"""How well the kind of answer a question asks for is read: `python -m evals kinds`.

The answerability check (assistant/answering/answerability.py) abstains when the sentences an answer would
quote lack the kind of answer asked (a person, a count, a date…); a question whose kind is not read is
answered whatever the sentences say. `data/kinds.jsonl` holds questions labelled with the kind they ask
for, written from the two texts by a session that saw neither the gold set nor the code, and split in two
halves: patterns are written on `dev`, and `test` says how far they carry to new wordings.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.answering.answerability import asked_kind

DEFAULT_KINDS = Path(__file__).resolve().parent / "data" / "kinds.jsonl"


def load_kinds(path: Path = DEFAULT_KINDS) -> list[dict[str, Any]]:
    """The labelled questions: {"question", "lang", "kind" (None when no checked kind applies), "split"}."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score_kinds(labelled: list[dict[str, Any]]) -> dict[str, Any]:
    """Per half, the share of questions whose kind is read as labelled, and every misread one."""
    report: dict[str, Any] = {}
    for half in sorted({q["split"] for q in labelled}):
        questions = [q for q in labelled if q["split"] == half]
        misread = [
            {"question": q["question"], "kind": q["kind"], "read": read}
            for q in questions
            if (read := asked_kind(q["question"])) != q["kind"]
        ]
        report[half] = {
            "questions": len(questions),
            "accuracy": round(1 - len(misread) / len(questions), 3),
            "missed": sum(1 for m in misread if m["read"] is None),
            "confused": dict(Counter(f"{m['kind']} read as {m['read']}" for m in misread).most_common()),
            "misread": misread,
        }
    return report
